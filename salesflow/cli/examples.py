"""Real command lines for every command's --help (an `Examples:` block at its end), and the
commands a new user needs first, for the root's help.

Kept in one place, beside the declarations rather than in them, so the fast path never reads
them; cli/typer_build.py adds them when the Typer tree is built (help and usage errors only).
tests/cli/test_examples.py checks every command has some and that each one parses."""

from __future__ import annotations

from salesflow.i18n import N_, _

FIRST_COMMANDS = (
    ("demo", N_("a new database with a year of demo history")),
    ("lead add", N_("capture a lead")),
    ("lead list", N_("your open leads (-q searches, -f csv|json)")),
    ("lead show", N_("one lead: facts, history, quotes")),
    ("log", N_("log a call or email and plan the next step")),
    ("advance", N_("move a deal to its next stage (or won, lost --reason …)")),
    ("today", N_("what needs you today")),
    ("quote new", N_("a numbered quote with line items, discounts and tax")),
    ("report summary", N_("the KPI board; report funnel for the stages")),
    ("undo", N_("take back the last command, whole")),
)

EXAMPLES: dict[str, tuple[str, ...]] = {
    "lead add": (
        'salesflow lead add "Jane Roe" --company "Acme Ltd" --source website --grade B '
        "--value '$12,500'",
        "salesflow lead add 张伟 --company 深圳某科技有限公司 --value 500k --currency CNY "
        "--tag hardware",
        "salesflow lead add 张伟 --company 深圳某科技有限公司 --tax-id 91440300MA5XXXXX7K "
        "--doc-lang zh_CN",
    ),
    "lead list": (
        "salesflow lead list --stage quote --grade A",
        "salesflow lead list -q acme -f json",
        "salesflow lead list --all -n 20",
    ),
    "lead show": ("salesflow lead show 12", "salesflow lead show acme"),
    "lead edit": (
        "salesflow lead edit 12 --value 480000 --bant budget=yes,need=yes",
        "salesflow lead edit acme --grade A --expected-close 2026-12-31",
        "salesflow lead edit 12 --set industry=manufacturing --set region=South",
    ),
    "lead rm": ("salesflow lead rm 12 --yes",),
    "advance": (
        "salesflow advance 12",
        'salesflow advance 12 proposal --note "demo went well"',
        'salesflow advance 12 lost --reason "price too high"',
    ),
    "stages preset": ("salesflow stages preset simple --map contacted=lead --map proposal=quote",),
    "stages set": (
        "salesflow stages set lead:10 demo:40 quote:70:7 --map proposal=demo",
        "salesflow stages set 线索:10 方案:50 报价:65 --won 成交 --lost 丢单",
    ),
    "stages rename": ("salesflow stages rename won 成交", "salesflow stages rename 方案 解决方案"),
    "undo": ("salesflow undo", "salesflow undo --list", "salesflow undo --yes"),
    "redo": ("salesflow redo",),
    "search": (
        "salesflow search 合同",
        "salesflow search acme contract --in activities,followups",
        "salesflow search 张伟 --format json",
    ),
    "lead dupes": ("salesflow lead dupes", "salesflow lead dupes --fuzzy --format csv"),
    "lead merge": (
        "salesflow lead merge 12 31",
        "salesflow lead merge 12 31 --stage-from other --yes",
    ),
    "db path": ("salesflow db path",),
    "db backup": ("salesflow db backup", "salesflow db backup ~/backups/sales.db"),
    "db check": ("salesflow db check",),
    "db restore": ("salesflow db restore ~/backups/sales.db --yes",),
    "db info": ("salesflow db info", "salesflow db info -f json"),
    "config set": (
        "salesflow config set currency CNY",
        'salesflow config set seller.name "Li Ming Consulting"',
        "salesflow config set fields industry,region",
    ),
    "config get": ("salesflow config get currency",),
    "config unset": ("salesflow config unset date_order",),
    "config list": ("salesflow config list", "salesflow config list -f json"),
    "log": (
        'salesflow log 12 "call: budget approved" --kind call --next "send proposal" --due fri',
        'salesflow log acme "sent brochure" --kind email',
        'salesflow log acme "agreed the 5% discount" --kind call --done 7',
    ),
    "followup add": (
        'salesflow followup add 12 "chase quote" --due +3d',
        'salesflow followup add acme "call CFO" --due "2026-12-01 14:30"',
    ),
    "followup list": (
        "salesflow followup list",
        "salesflow followup list --overdue -f csv",
        "salesflow followup list -f ics",
    ),
    "followup done": ("salesflow followup done 3", "salesflow followup done acme"),
    "followup snooze": ("salesflow followup snooze 3 +2d", "salesflow followup snooze 3 fri"),
    "today": ("salesflow today", "salesflow today --all", "salesflow today -f json"),
    "customer list": ("salesflow customer list", "salesflow customer list --segment key -n 10"),
    "customer show": ("salesflow customer show 3", 'salesflow customer show "Acme Ltd"'),
    "customer edit": (
        "salesflow customer edit 3 --segment key --checkin every-3m",
        "salesflow customer edit 3 --checkin none",
        'salesflow customer edit 3 --address "江苏省苏州市星湖街328号" --tax-id 91320594MA1XXXXX3B '
        "--doc-lang zh_CN",
    ),
    "quote new": (
        'salesflow quote new 12 --item "Edge gateway; 50; 980" --item "Installation; 1; 6000" '
        "--discount 5% --tax 13% --valid 30d",
        'salesflow quote new 12 --item "G2; 50" --item "INST; 1; 5500"',
    ),
    "quote add-item": (
        'salesflow quote add-item Q-2026-0001 "Training day; 2; 3500" --discount 10%',
        'salesflow quote add-item Q-2026-0001 "G2; 10; ; 5%"',
    ),
    "quote rm-item": ("salesflow quote rm-item Q-2026-0001 2",),
    "quote edit": ("salesflow quote edit Q-2026-0001 --tax 6% --valid eom",),
    "quote show": ("salesflow quote show Q-2026-0001", "salesflow quote show Q-2026-0001 -f json"),
    "quote list": (
        "salesflow quote list --status sent",
        "salesflow quote list --lead acme -n 5 -f csv",
    ),
    "quote send": ("salesflow quote send Q-2026-0001",),
    "quote render": (
        "salesflow quote render Q-2026-0001 -f md",
        "salesflow quote render Q-2026-0001 -f html -o quote.html",
    ),
    "quote accept": ("salesflow quote accept Q-2026-0001",),
    "quote reject": ('salesflow quote reject Q-2026-0001 --reason "budget cut" --lost',),
    "quote copy": ("salesflow quote copy Q-2026-0001",),
    "report summary": (
        "salesflow report summary",
        "salesflow report summary --since 2026-01-01 -f json",
    ),
    "report funnel": (
        "salesflow report funnel",
        "salesflow report funnel --since 2026-01-01 --until 2026-06-30 --bars value",
        "salesflow report funnel --as-of yesterday",
    ),
    "report conversion": ("salesflow report conversion", "salesflow report conversion -f csv"),
    "report forecast": (
        "salesflow report forecast --months 6",
        "salesflow report forecast --calibrated --simulate --seed 1",
    ),
    "report lost": ("salesflow report lost", "salesflow report lost --since 2026-01-01"),
    "report sources": ("salesflow report sources", "salesflow report sources -f csv"),
    "report grades": ("salesflow report grades",),
    "report breakdown": (
        "salesflow report breakdown --by region",
        "salesflow report breakdown --by product --since 2026-01-01 -f csv",
        "salesflow report breakdown --by segment --as-of 2026-06-30",
    ),
    "report products": (
        "salesflow report products",
        "salesflow report products --since 2026-01-01 --until 2026-06-30 -f csv",
    ),
    "report activity": ("salesflow report activity --weeks 8",),
    "report targets": ("salesflow report targets", "salesflow report targets -f json"),
    "report trend": (
        "salesflow report trend",
        "salesflow report trend --by week --periods 8 --metric won_value,win_rate",
        "salesflow report trend --by quarter --group source -f csv",
    ),
    "report review": (
        "salesflow report review -o review.html",
        "salesflow report review --month 2026-11 --format html -o review.html",
        "salesflow report review --month 2026-10 -f json",
    ),
    "target set": ("salesflow target set 2026-12 200000", "salesflow target set 2026-Q4 600k"),
    "target list": ("salesflow target list",),
    "target rm": ("salesflow target rm 2026-12",),
    "digest": (
        "salesflow digest",
        "salesflow digest -f html",
        "salesflow digest --fail-on-overdue",
    ),
    "demo": (
        "salesflow --db demo.db demo",
        "salesflow --db demo.db demo --leads 300 --seed 7 --currency CNY",
    ),
    "export": (
        "salesflow export leads -o leads.csv --excel",
        "salesflow export stage-changes -f ndjson",
    ),
    "import leads": (
        "salesflow import leads contacts.csv --dry-run",
        'salesflow import leads fair.csv --source "trade show 2026" --map "手机号码=phone"',
        'salesflow import leads 名单.csv --map "姓+名=name"',
    ),
    "import activities": ("salesflow import activities calls.csv",),
    "import products": (
        "salesflow import products price-list.csv --dry-run",
        "salesflow import products products.csv --on-duplicate update",
    ),
    "product add": (
        'salesflow product add "Edge gateway G2" --sku G2 --price 980 --currency CNY --unit 台 '
        "--tax 13%",
        'salesflow product add "Installation" --sku INST --price 6000',
    ),
    "product list": ("salesflow product list", "salesflow product list -f csv"),
    "product show": ("salesflow product show G2", 'salesflow product show "gateway" -f json'),
    "product edit": (
        "salesflow product edit G2 --price 1050",
        'salesflow product edit G2 --unit pcs --tax ""',
    ),
    "product rm": ("salesflow product rm G2", "salesflow product rm G2 --force"),
    "import email": (
        "salesflow import email ~/.thunderbird/abc.default/Mail/Local\\ Folders/Inbox",
        "salesflow import email 'All mail Including Spam and Trash.mbox' --new-leads --dry-run",
        "salesflow import email reply.eml",
    ),
    "import contacts": (
        "salesflow import contacts contacts.vcf --dry-run",
        "salesflow import contacts iphone.vcf --source 'trade show' --on-duplicate update",
    ),
    "remind": (
        "salesflow remind",
        'salesflow remind --within 5m --exec \'notify-send "$SALESFLOW_TITLE" "$SALESFLOW_BODY"\'',
    ),
    "completion": ("salesflow completion bash", "salesflow completion zsh"),
    "replica set": (
        "salesflow replica set s3://my-bucket/salesflow",
        "salesflow replica set sftp://me@backup.example.com/srv/salesflow",
    ),
    "replica show": ("salesflow replica show", "salesflow replica show -f json"),
    "replica unset": ("salesflow replica unset",),
    "replica status": ("salesflow replica status",),
    "replica restore": (
        "salesflow replica restore --to restored.db",
        'salesflow replica restore --to restored.db --as-of "2026-12-01 18:00"',
    ),
    "replicate": (
        "salesflow replicate",
        "salesflow replicate --print-unit systemd",
        "salesflow replicate --print-unit launchd",
    ),
    "handover": ("salesflow handover",),
    "takeover": ("salesflow takeover", "salesflow takeover --from s3://my-bucket/salesflow"),
}


def block(line: str) -> str:
    """The `Examples:` block for a command's help; `\\b` keeps Click from rewrapping it."""
    examples = EXAMPLES.get(line, ())
    if not examples:
        return ""
    return "\b\n" + _("Examples:") + "\n" + "\n".join(f"  {x}" for x in examples)


def first_commands() -> str:
    width = max(len(name) for name, _ in FIRST_COMMANDS)
    rows = "\n".join(f"  {name.ljust(width)}  {_(what)}" for name, what in FIRST_COMMANDS)
    heading, last = _("First commands:"), _("Every command's --help ends with examples.")
    return f"\n\n\b\n{heading}\n{rows}\n\n\b{last}"
