#!/usr/bin/env bash
# Sign the .app with a Developer ID certificate when the secrets are set; otherwise say so
# and leave it unsigned (Gatekeeper will then ask the user to confirm on first open).
set -euo pipefail
app="$1"
if [[ -z "${MACOS_CERTIFICATE:-}" || -z "${MACOS_SIGNING_IDENTITY:-}" ]]; then
  echo "Signing skipped: MACOS_CERTIFICATE / MACOS_SIGNING_IDENTITY are not set."
  exit 0
fi
keychain="$RUNNER_TEMP/build.keychain"
echo "$MACOS_CERTIFICATE" | base64 --decode > "$RUNNER_TEMP/cert.p12"
security create-keychain -p ci "$keychain"
security default-keychain -s "$keychain"
security unlock-keychain -p ci "$keychain"
security import "$RUNNER_TEMP/cert.p12" -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" -T /usr/bin/codesign
security set-key-partition-list -S apple-tool:,apple: -s -k ci "$keychain"
codesign --force --deep --options runtime --timestamp \
  --entitlements "$(dirname "$0")/entitlements.plist" --sign "$MACOS_SIGNING_IDENTITY" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
