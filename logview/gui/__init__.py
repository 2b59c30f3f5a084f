"""The Qt front end: thin models, views and workers over logview.core (which never imports Qt)."""
