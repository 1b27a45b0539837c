"""``python -m coroscope ...`` — see coroscope.cli."""
from coroscope.cli import main

main()
