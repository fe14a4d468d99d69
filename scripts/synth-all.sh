#!/usr/bin/env bash
# Synthesizes every environment offline (what `npm run synth` runs). The stacks are env-agnostic, so no
# credentials, no account and no AZ look-ups are needed; cdk-nag findings make the synth exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nothing here may reach AWS: drop ambient credentials so a look-up would fail loudly instead.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

for env in dev staging prod; do
  started=$(date +%s)
  npx cdk synth -c "env=${env}" --quiet -o "cdk.out/${env}"
  echo "synth ${env}: $(($(date +%s) - started)) s -> cdk.out/${env}"
done
