#!/usr/bin/env bash
# Fetches the published SARIF 2.1.0 JSON schema for the tests, once, as DIR/sarif-2.1.0.json:
# the copy that the npm package @microsoft/jest-sarif (MIT) ships, unpacked from the package
# without installing it or its dependencies.
set -euo pipefail
dir=$1
if [ -f "$dir/sarif-2.1.0.json" ]; then exit 0; fi
mkdir -p "$dir"
cd "$dir"
tarball=$(npm pack --silent --no-audit --no-fund @microsoft/jest-sarif@1.0.0-beta.0)
tar -xzf "$tarball" package/lib/schemas/sarif-2.1.0-rtm.5.json
mv package/lib/schemas/sarif-2.1.0-rtm.5.json sarif-2.1.0.json
rm -rf package "$tarball"
