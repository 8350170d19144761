"""`python -m cardinal` runs the command line."""

from cardinal.cli.main import main

main()
