#!/usr/bin/env python
import subprocess
subprocess.run(["python", "manage.py", "migrate"])
