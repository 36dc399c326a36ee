#!/bin/sh
# run-fuzzer.sh FUZZER CORPUS DICT ARTIFACTS SECONDS — runs a libFuzzer target for SECONDS,
# starting from CORPUS (left as it is: new inputs go to a directory of the run's own) with the
# dictionary DICT; a crashing input is kept in ARTIFACTS. Exits with the fuzzer's status.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
fuzzer=$1 corpus=$2 dict=$3 artifacts=$4 seconds=$5

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$dict" -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$corpus"
