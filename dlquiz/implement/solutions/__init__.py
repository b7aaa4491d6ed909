"""Model solutions of the ``dlquiz implement`` exercises, one file each.

Each file is what ``dlquiz implement ID --solution`` prints and passes
``--check``; its docstrings are the task the starter shows. The files import
only NumPy.
"""
