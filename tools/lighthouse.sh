#!/usr/bin/env bash
# Lighthouse (mobile, accessibility only) on the IV's pages of a running `make run`.
# Installs lighthouse from the npm registry into var/lighthouse on first use; uses Debian's
# Chromium. Signs in as the demo IV by making a session with manage.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${BASE:-http://127.0.0.1:8000}"
LH=var/lighthouse
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  # Its own package.json, so npm does not walk up and add lighthouse to the project's.
  mkdir -p "$LH" && echo '{"private": true}' > "$LH/package.json"
  (cd "$LH" && npm install --no-audit --no-fund --loglevel=error lighthouse@12 >/dev/null)
fi
: "${DATABASE_URL:=postgres://postgres@/ivscheme?host=$PWD/var/pgdata}"
read -r SESSION VISIT < <(DEBUG=1 DATABASE_URL="$DATABASE_URL" .venv/bin/python manage.py shell -c "
from django.test import Client
from accounts.models import User
from visits.models import Visit
c = Client(); c.force_login(User.objects.get(email='iv.north@example.org'))
v = Visit.objects.filter(match__volunteer__email='iv.north@example.org').order_by('-starts_at').first()
print(c.cookies['sessionid'].value, v.public_id if v else '')" 2>/dev/null | tail -1)
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for path in / /visits/ /visits/plan/ "/visits/$VISIT/" /safeguarding/raise/ /expenses/; do
  CHROME_PATH=/usr/bin/chromium "$LH/node_modules/.bin/lighthouse" "$BASE$path" \
    --only-categories=accessibility --form-factor=mobile --screenEmulation.mobile \
    --chrome-flags="$FLAGS" --extra-headers="{\"Cookie\": \"sessionid=$SESSION\"}" \
    --output=json --output-path="$LH/report.json" --quiet 2>/dev/null
  python3 -c "import json,sys; d=json.load(open('$LH/report.json')); print(f\"{round(d['categories']['accessibility']['score']*100):>3}  $path\")"
done
