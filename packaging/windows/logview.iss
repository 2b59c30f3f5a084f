; Inno Setup 6 script for logview's Windows installer; build.ps1 compiles it with
;   iscc /DAppVersion=0.1.0 /DSourceDir=...\packaging\dist\logview /DOutputDir=...\packaging\dist
;        /DRoot=...\ logview.iss
; Installs for the current user by default (no administrator rights, %LOCALAPPDATA%\Programs),
; or for all users when chosen on the first page or with /ALLUSERS.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Root
  #define Root "..\.."
#endif
#ifndef SourceDir
  #define SourceDir Root + "\packaging\dist\logview"
#endif
#ifndef OutputDir
  #define OutputDir Root + "\packaging\dist"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{C1D572A4-9A82-4BF3-9B71-7DC03455DDEE}
AppName=logview
AppVersion={#AppVersion}
AppVerName=logview {#AppVersion}
AppPublisher=logview developers
DefaultDirName={autopf}\logview
DefaultGroupName=logview
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=logview-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\logview.ico
UninstallDisplayIcon={app}\logview.exe
UninstallDisplayName=logview
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assoclog"; Description: "Open .log files with logview"; GroupDescription: "File types:"
Name: "assocevtx"; Description: "Open .evtx event logs with logview"; GroupDescription: "File types:"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Root}\resources\logview.ico"; DestDir: "{app}"; Flags: ignoreversion

[InstallDelete]
; An upgrade replaces the whole bundle: files of the old version would otherwise linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\logview"; Filename: "{app}\logview.exe"; IconFilename: "{app}\logview.ico"
Name: "{autodesktop}\logview"; Filename: "{app}\logview.exe"; IconFilename: "{app}\logview.ico"; Tasks: desktopicon

[Registry]
; HKA is HKCU for a per-user install and HKLM for an all-users one.
; One ProgID for everything logview opens.
Root: HKA; Subkey: "Software\Classes\logview.log"; ValueType: string; ValueName: ""; ValueData: "Log file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\logview.log\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\logview.ico"
Root: HKA; Subkey: "Software\Classes\logview.log\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\logview.exe"" ""%1"""
; "Open with" offers logview for logs and archives; it becomes the default only for the
; types chosen under Tasks (archives keep their own program).
Root: HKA; Subkey: "Software\Classes\.log\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.log"; ValueType: string; ValueName: ""; ValueData: "logview.log"; Flags: uninsdeletevalue; Tasks: assoclog
Root: HKA; Subkey: "Software\Classes\.evtx\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.evtx"; ValueType: string; ValueName: ""; ValueData: "logview.log"; Flags: uninsdeletevalue; Tasks: assocevtx
Root: HKA; Subkey: "Software\Classes\.gz\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tgz\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.zip\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tar\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.zst\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.jsonl\OpenWithProgids"; ValueType: none; ValueName: "logview.log"; Flags: uninsdeletevalue
; Run dialog and "start logview" find it by name.
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\App Paths\logview.exe"; ValueType: string; ValueName: ""; ValueData: "{app}\logview.exe"; Flags: uninsdeletekey

[Run]
Filename: "{app}\logview.exe"; Description: "{cm:LaunchProgram,logview}"; Flags: nowait postinstall skipifsilent
