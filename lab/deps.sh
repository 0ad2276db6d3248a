#!/bin/sh
# Install the Debian packages the lab needs (scripts/packages-lab.txt).
# The guest runs the host's own userland, so guest tools (multipathd,
# iscsid, fio, nft) are host packages.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../scripts/install-packages.sh" lab "$here/../scripts/packages-lab.txt"
