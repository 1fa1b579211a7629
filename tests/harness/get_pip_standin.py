# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for get-pip.py, for ansible-test on machines that reach PyPI but not ansible-test's own file host.

ansible-test bootstraps pip in each sanity virtual environment with a get-pip.py it downloads; this
does the same from Python's bundled ensurepip, then installs the pinned pip it asks for from the
package index pip is configured with.
"""

import ensurepip
import os
import subprocess
import sys

# Options only get-pip.py understands; pip install would reject them.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

environment = dict(os.environ)
ensurepip.bootstrap(upgrade=True)
# ensurepip points PIP_CONFIG_FILE at /dev/null for its own run; the real install needs the machine's
# pip configuration (index, CA bundle), so it runs with the environment as it was.
arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + arguments, env=environment))
