"""`python -m cardinal` runs the command line."""

from cardinal.cli.quick import main

main()
