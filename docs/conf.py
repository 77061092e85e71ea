"""Sphinx configuration: the site is built offline and asks nothing of the network when read."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# document (and execute the notebooks with) the package of this checkout, installed or not
sys.path[:0] = [str(ROOT), str(HERE / "_ext")]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

import visualizer  # noqa: E402

project = "visualizer"
author = "the visualizer authors"
copyright = "the visualizer authors, MIT licence"
release = version = visualizer.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "myst_nb", "convviz_docs"]
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints", "_ext"]

html_theme = "furo"
html_title = f"visualizer {release}"
html_static_path = ["_static"]
html_css_files = ["convviz.css"]
html_show_sphinx = False

# nothing on a page may load from the network: no MathJax (math shows as its TeX source),
# no widget manager from a CDN (a widget's output becomes a note, see convviz_docs)
html_math_renderer = "tex"
myst_enable_extensions = ["dollarmath"]  # the notebooks' $$…$$ stays one block of TeX
nb_ipywidgets_js = {}

# the notebooks run at every build (offline, in seconds); a failing cell fails the build
nb_execution_mode = "force"
nb_execution_timeout = 120
nb_execution_raise_on_error = True
nb_execution_in_temp = True  # their GIFs land in a temporary folder, not in notebooks/

autodoc_member_order = "bysource"
napoleon_use_ivar = True  # a class's Attributes as fields: its properties are documented once, as members
napoleon_google_docstring = False
# Sphinx links every word of a parameter's type; in prose types such as "sequence of (label, kernel)"
# a word can name several attributes (Step.kernel, LayerStep.kernel…): that is no broken link
suppress_warnings = ["ref.python"]
napoleon_numpy_docstring = True
