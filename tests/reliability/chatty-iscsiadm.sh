#!/bin/sh
# An iscsiadm that talks about the node records it touches, CHAP secrets
# included, as "iscsiadm -m node -o show" and its debug output do: on
# stderr before anything else, and on stdout for node operations (a
# SendTargets answer stays clean: its parser takes only target lines).
# Then it answers as the monitor tests' fake (tests/monitor/
# fake-iscsiadm.sh).  Whatever pathwarden relays must not carry these.
# Needs CHATTY_SECRETS_FILE (the iscsid.conf lines) and FAKE_ISCSI_DIR.
set -eu
cat "${CHATTY_SECRETS_FILE:?}" >&2
if [ "${2:-}" = node ]; then cat "$CHATTY_SECRETS_FILE"; fi
exec sh "$(dirname "$0")/../monitor/fake-iscsiadm.sh" "$@"
