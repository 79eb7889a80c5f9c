import json
from django.core.management import call_command
from io import StringIO
from tests.leases.conftest import ON

def test_smoke(known):
    out = StringIO()
    call_command("leases", "--expiring", "90", "--on", ON.isoformat(), "--json", stdout=out)
    print(out.getvalue())
    out = StringIO()
    call_command("occupancy", "--on", ON.isoformat(), "--json", stdout=out)
    print(out.getvalue())
