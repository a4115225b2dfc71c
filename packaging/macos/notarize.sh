#!/usr/bin/env bash
# Notarise and staple the disk image when the Apple ID secrets are set; otherwise skip.
set -euo pipefail
dmg="$1"
if [[ -z "${APPLE_ID:-}" || -z "${APPLE_TEAM_ID:-}" || -z "${APPLE_APP_PASSWORD:-}" ]]; then
  echo "Notarisation skipped: APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD are not set."
  exit 0
fi
xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
  --password "$APPLE_APP_PASSWORD" --wait
xcrun stapler staple "$dmg"
