<#
.SYNOPSIS
Build logview for Windows: the one-folder app, a portable .zip and an Inno Setup installer.

.DESCRIPTION
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-Python py] [-NoInstaller]

Creates its own build venv (packaging\build\venv-windows), installs logview from this tree
with polars' compat runtime, tzdata (Windows has no time zone database for zoneinfo) and
PyInstaller, freezes it with packaging\logview.spec, runs the frozen self-test offscreen,
then zips the folder and compiles packaging\windows\logview.iss with Inno Setup 6 (iscc.exe,
e.g. `winget install JRSoftware.InnoSetup`). Outputs land in packaging\dist.
The folder holds logview.exe (the window, no console) and logview-cli.exe (the same program
with a console, for `logview-cli export ...` and the self-test).
#>
param(
    [string]$Python = "py",
    [switch]$NoInstaller
)
$ErrorActionPreference = "Stop"

function Invoke-Native {
    # Run a program and stop the build when it fails (native programs do not throw).
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$started = Get-Date
$root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$build = Join-Path $root "packaging\build"
$dist = Join-Path $root "packaging\dist"
$venv = Join-Path $build "venv-windows"
$venvPython = Join-Path $venv "Scripts\python.exe"

Write-Host "== build venv ($venv)"
if (-not (Test-Path $venvPython)) {
    Invoke-Native $Python @("-m", "venv", $venv)
}
Invoke-Native $venvPython @("-m", "pip", "install", "-q", "--upgrade", "pip")
Invoke-Native $venvPython @("-m", "pip", "install", "-q", $root, "polars[rtcompat]", "tzdata", "pyinstaller>=6.10,<7")
Invoke-Native $venvPython @("-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", $root)
$version = (& $venvPython -c "from importlib.metadata import version; print(version('logview'))").Trim()

Write-Host "== PyInstaller: logview $version"
$app = Join-Path $dist "logview"
if (Test-Path $app) { Remove-Item -Recurse -Force $app }
Invoke-Native (Join-Path $venv "Scripts\pyinstaller.exe") @(
    "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", $dist, "--workpath", (Join-Path $build "pyinstaller-windows"),
    (Join-Path $root "packaging\logview.spec"))
$cli = Join-Path $app "logview-cli.exe"
Invoke-Native $cli @("--version")
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Native $cli @("--self-test")
Remove-Item Env:QT_QPA_PLATFORM

Write-Host "== portable zip"
$zip = Join-Path $dist "logview-$version-windows-x64.zip"
if (Test-Path $zip) { Remove-Item -Force $zip }
Compress-Archive -Path $app -DestinationPath $zip

$setup = $null
if (-not $NoInstaller) {
    Write-Host "== installer (Inno Setup)"
    $iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
    foreach ($candidate in @(
            "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
            "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")) {
        if (-not $iscc -and (Test-Path $candidate)) { $iscc = $candidate }
    }
    if (-not $iscc) { throw "Inno Setup 6 not found (winget install JRSoftware.InnoSetup), or pass -NoInstaller" }
    Invoke-Native $iscc @("/Q", "/DAppVersion=$version", "/DRoot=$root", "/DSourceDir=$app",
        "/DOutputDir=$dist", (Join-Path $PSScriptRoot "logview.iss"))
    $setup = Join-Path $dist "logview-$version-windows-x64-setup.exe"
}

$seconds = [int]((Get-Date) - $started).TotalSeconds
$folderBytes = (Get-ChildItem -Recurse -File $app | Measure-Object -Property Length -Sum).Sum
Write-Host ("== done in {0} s; folder {1:N1} MiB" -f $seconds, ($folderBytes / 1MB))
foreach ($file in @($zip, $setup)) {
    if ($file) { Write-Host ("{0}  {1:N1} MiB" -f $file, ((Get-Item $file).Length / 1MB)) }
}
