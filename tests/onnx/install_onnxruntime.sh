#!/usr/bin/env bash
# Installs onnxruntime-node from the npm registry into DIR (once). Its CPU binary is bundled
# in the package, so the install script that would download another one is skipped.
set -euo pipefail
dir=$1
if [ -d "$dir/node_modules/onnxruntime-node" ]; then exit 0; fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name": "sketchc-onnx-tests", "private": true}' > package.json
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error onnxruntime-node
