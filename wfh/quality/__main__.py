"""``python -m wfh.quality``: write the checks into the GX project under ``expectations/``."""

from wfh.quality import main

main()
