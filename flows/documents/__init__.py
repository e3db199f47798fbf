"""The documents of a case: which ones it needs (``catalog``), the figures and context they
state (``figures``, ``context``), and their forms (``to_docx``, ``to_text``, over ``html_tree``)."""
