# Voilà (the Binder launch) shows each chapter as an app: resolve the pages' {only} blocks for the screen.
# The other Voilà and JupyterLab settings are in jupyter_server_config.json beside this file.
from exercises.book.voila_app import app_notebook

c.VoilaConfiguration.prelaunch_hook = app_notebook  # noqa: F821 (c is given by Jupyter's config loader)
