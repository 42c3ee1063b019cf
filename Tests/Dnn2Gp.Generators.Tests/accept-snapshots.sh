#!/usr/bin/env sh
# Accepts every pending snapshot: renames Snapshots/*.received.cs to *.verified.cs (Verify's "manual" route).
# Review first: git status; git diff --no-index Snapshots/X.verified.cs Snapshots/X.received.cs
set -eu
cd "$(dirname "$0")/Snapshots"
find . -name '*.received.cs' | while read -r f; do mv -f "$f" "${f%.received.cs}.verified.cs"; echo "accepted ${f#./}"; done
