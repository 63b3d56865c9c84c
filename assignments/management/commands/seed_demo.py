"""Idempotent demo data. Running it again resets the demo users to the documented state;
demo leads and territory rules that already exist (by name) are not created again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Team, User

from ...demo import seed_demo_leads
from ...models import TerritoryRule
from ...services.territory_rules import create_rule

DEMO_PASSWORD = "noclash-demo"
ADMIN_PASSWORD = "noclash-admin"

TEAMS = [
    ("华东销售一组 East China", "manager1", "王经理 Wang Min"),
    ("华南销售二组 South China", "manager2", "李经理 Li Na"),
]
REPS = [
    ("rep1", "张伟 Zhang Wei", 0),
    ("rep2", "刘洋 Liu Yang", 0),
    ("rep3", "陈静 Chen Jing", 0),
    ("rep4", "杨磊 Yang Lei", 0),
    ("rep5", "赵敏 Zhao Min", 1),
    ("rep6", "黄强 Huang Qiang", 1),
    ("rep7", "周芳 Zhou Fang", 1),
    ("rep8", "吴军 Wu Jun", 1),
]
# Territory rules (分配规则), tried in this order: (name, provinces, team index, how a rep of
# the team is chosen). A new customer from one of the provinces goes straight to a rep.
RULES = [
    ("华东：浙江、江苏、上海", ["浙江", "江苏", "上海"], 0, TerritoryRule.Target.ROUND_ROBIN),
    ("华南：广东、福建", ["广东", "福建"], 1, TerritoryRule.Target.LEAST_LOADED),
]


def _upsert_user(username: str, *, password: str, **fields) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    for key, value in fields.items():
        setattr(user, key, value)
    user.set_password(password)
    user.is_active = True
    user.save()
    return user


class Command(BaseCommand):
    help = "Create or reset the demo users and teams (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-leads",
            action="store_true",
            help="Only the users and teams (no leads, no territory rules).",
        )

    def handle(self, *args, **options):
        teams = self.seed_users()
        # Leads go through the services, each its own durable transaction, so they run after
        # the users are committed, outside any atomic block.
        if not options["no_leads"]:
            self.seed_leads(teams=teams)
            # After the leads: the demo's pool leads stay where the plan puts them (with the
            # rules in force, a pool lead created without a pool would be routed to a rep).
            self.seed_rules(teams=teams)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    @transaction.atomic
    def seed_users(self) -> list[Team]:
        _upsert_user(
            "admin", password=ADMIN_PASSWORD, role=User.Role.ADMIN, display_name="系统管理员 Admin"
        )
        teams = []
        for name, manager_username, manager_name in TEAMS:
            manager = _upsert_user(
                manager_username,
                password=DEMO_PASSWORD,
                role=User.Role.MANAGER,
                display_name=manager_name,
            )
            team, _created = Team.objects.update_or_create(name=name, defaults={"manager": manager})
            if manager.team_id != team.id:
                manager.team = team
                manager.save(update_fields=["team"])
            teams.append(team)
        for username, display_name, team_index in REPS:
            _upsert_user(
                username,
                password=DEMO_PASSWORD,
                role=User.Role.REP,
                display_name=display_name,
                team=teams[team_index],
            )
        return teams

    def seed_leads(self, *, teams: list[Team]) -> None:
        """Demo leads (see `leads.demo`): ~500 pool leads, some claimed and followed up by the
        reps, through the services. Leads that already exist are not created again."""
        admin = User.objects.get(username="admin")
        by_username = {
            u.username: u for u in User.objects.filter(username__in=[r[0] for r in REPS])
        }
        reps = [by_username[username] for username, _name, _team in REPS]
        seed_demo_leads(admin=admin, teams=teams, reps=reps, log=self.stdout.write)

    def seed_rules(self, *, teams: list[Team]) -> None:
        """The demo territory rules, through the rules service (each change recorded); a rule
        whose name exists is left as it is (an admin may have edited it)."""
        admin = User.objects.get(username="admin")
        existing = set(
            TerritoryRule.objects.filter(name__in=[r[0] for r in RULES]).values_list(
                "name", flat=True
            )
        )
        created = 0
        for name, provinces, team_index, kind in RULES:
            if name in existing:
                continue
            create_rule(
                actor=admin,
                name=name,
                conditions=[{"field": "province", "op": "in", "value": provinces}],
                target={"kind": kind, "team": teams[team_index].pk},
            )
            created += 1
        self.stdout.write(
            f"Territory rules: {created} created ({len(RULES) - created} already there)."
        )
