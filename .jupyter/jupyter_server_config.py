# Voilà (the Binder and JupyterHub launch) shows each chapter as an app: resolve the pages' screen and print notes for
# the screen (and give the page its _xsrf cookie, so closing it shuts its kernel down), and typeset formulas with the
# MathJax in Voilà's own page. The other Voilà and JupyterLab settings are in jupyter_server_config.json beside this.
from exercises.book.voila_app import app_notebook, local_mathjax

c.VoilaConfiguration.prelaunch_hook = app_notebook  # noqa: F821 (c is given by Jupyter's config loader)
c.VoilaConfiguration.page_config_hook = local_mathjax  # noqa: F821
