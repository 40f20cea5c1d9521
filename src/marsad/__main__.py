import sys

from marsad.cli.main import main

sys.exit(main())
