"""One module per family of log formats; each exposes FORMATS, a list of formats.Format."""
