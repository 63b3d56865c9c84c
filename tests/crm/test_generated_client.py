"""What an integrator does: generate a client from the published schema with a common
generator (openapi-python-client, offline from a file) and run the everyday flow through its
typed functions against a live server — sign in, read `me`, list, create (owned and into the
pool), claim, follow up, read the history — asserting the parsed models, not raw JSON."""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.conftest import PASSWORD, make_user

VENV_BIN = Path(sys.executable).parent
PACKAGE = "no_clash_crm_api_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package, generated once for this module from `manage.py spectacular`."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.yaml"
    started = time.monotonic()
    call_command("spectacular", "--file", str(schema), "--validate", "--fail-on-warn")
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            str(VENV_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(folder / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # A warning means a piece of the API is missing from the client.
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    print(f"client generated in {time.monotonic() - started:.1f} s")
    sys.path.insert(0, str(folder / "out"))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(folder / "out"))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def sign_in(gen, base_url: str, username: str):
    client_module = gen("client")
    TokenInput = gen("models").TokenInput
    TokenOutput = gen("models").TokenOutput
    token_create = gen("api.auth.auth_token_create")
    anonymous = client_module.Client(base_url=base_url, raise_on_unexpected_status=True)
    answer = token_create.sync(client=anonymous, body=TokenInput(username, PASSWORD))
    assert isinstance(answer, TokenOutput), answer
    return client_module.AuthenticatedClient(
        base_url=base_url, token=answer.token, prefix="Token", raise_on_unexpected_status=True
    )


def test_generated_client_runs_the_everyday_flow(
    generated, live_server, team, manager, rep, teammate
):
    gen = generated
    models = gen("models")
    admin = make_user("ada", role=User.Role.ADMIN)
    base = live_server.url

    # An admin has no team: `team` is null, and the client accepts it.
    as_admin = sign_in(gen, base, admin.username)
    me = gen("api.me.me_retrieve").sync(client=as_admin)
    assert isinstance(me, models.MeOutput)
    assert me.team is None and me.username == "ada"

    # A manager puts a customer into the team's pool: no owner, no protection.
    as_manager = sign_in(gen, base, manager.username)
    leads_create = gen("api.leads.leads_create")
    pool_lead = leads_create.sync(
        client=as_manager,
        body=models.LeadInput(company_name="杭州池塘科技有限公司", pool_team=team.pk),
    )
    assert isinstance(pool_lead, models.LeadOutput), pool_lead
    assert pool_lead.owner is None
    assert pool_lead.protected_until is None and pool_lead.claimed_at is None
    assert pool_lead.pool_team == team.pk

    # The rep: who am I, what can I see, a customer of my own.
    as_rep = sign_in(gen, base, rep.username)
    me = gen("api.me.me_retrieve").sync(client=as_rep)
    assert isinstance(me, models.MeOutput)
    assert me.team.id == team.pk and me.role == models.RoleEnum.REP

    page = gen("api.leads.leads_list").sync(client=as_rep)
    assert isinstance(page, models.PaginatedLeadList)
    assert [lead.id for lead in page.results] == [pool_lead.id]
    assert page.next_ is None

    own = leads_create.sync(
        client=as_rep,
        body=models.LeadInput(
            company_name="上海自有贸易有限公司",
            contacts=[models.ContactInput(name="Li", phone="13912345678")],
        ),
    )
    assert isinstance(own, models.LeadOutput), own
    assert own.owner.id == rep.pk and own.protected_until is not None

    # Claim the pool customer, follow up, read its history.
    claim = gen("api.leads.leads_claim_create").sync(pool_lead.id, client=as_rep)
    assert isinstance(claim, models.ClaimOutput), claim
    assert claim.owner.id == rep.pk and claim.protected_until > claim.claimed_at

    followup = gen("api.leads.leads_followups_create").sync(
        pool_lead.id,
        client=as_rep,
        body=models.FollowUpInput(kind=models.FollowUpKindEnum.CALL, note="Called the CEO"),
    )
    assert isinstance(followup, models.FollowUpOutput), followup
    assert followup.note == "Called the CEO"

    history = gen("api.leads.leads_history_list").sync(pool_lead.id, client=as_rep)
    assert isinstance(history, models.PaginatedHistoryList), history
    kinds = [event.kind for event in history.results]
    assert models.OwnershipEventKindEnum.CLAIM in kinds, kinds
    assert history.results[-1].to_owner.id == rep.pk

    # A refusal is typed too: a teammate's claim is a documented 409 with its code.
    as_teammate = sign_in(gen, base, teammate.username)
    refused = gen("api.leads.leads_claim_create").sync(pool_lead.id, client=as_teammate)
    assert isinstance(refused, models.Error), refused
    assert refused.code == "already_owned"

    # The list now shows both, newest first.
    page = gen("api.leads.leads_list").sync(client=as_rep)
    assert [lead.id for lead in page.results] == [own.id, pool_lead.id]
