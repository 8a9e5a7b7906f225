"""How the command line words a domain error's hint (errors.Hint): the commands and options
to use, in this face's syntax. `{message}` is the domain's own sentence; a wording without it
says the whole thing in option terms."""

from __future__ import annotations

from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _

WORDING: dict[str, str] = {
    # the database file
    "db.give": N_("{message} — give a file with --db or SALESFLOW_DB"),
    "db.writable": N_("{message} — pass a writable path with --db or SALESFLOW_DB"),
    "db.file_path": N_("{message} — pass a file path with --db"),
    "db.file": N_("{message} — pass a database file with --db"),
    "db.owner": N_("{message} — run salesflow as its owner or pass another --db"),
    "db.empty_file": N_("{message} — remove it or choose another --db"),
    "db.another": N_("{message} — choose another file with --db"),
    "db.another_app": N_("{message}; choose another file with --db"),
    "db.real_file": N_("{message} — pass the real database file with --db"),
    "db.dangling": N_(
        "{message} — create the database there first (--db with that path) or pass another --db"
    ),
    # report windows
    "report.as_of_future": N_(
        "--as-of {as_of} is in the future — the history ends today ({today}); "
        "give today or an earlier day"
    ),
    "report.since_until": N_("--since {since} is after --until {until} — swap them"),
    "report.since_future": N_(
        "--since {since} is in the future — a report counts days up to today ({today}); "
        "give today or an earlier day"
    ),
    "report.since_as_of": N_(
        "--since {since} is after --as-of {as_of} — give {as_of} or an earlier day"
    ),
    # search
    "search.in": N_("--in: {message}"),
    "search.word": N_("{message}, e.g. salesflow search 合同"),
    # import
    "import.encoding": N_(
        "{message} — save it from the spreadsheet as CSV UTF-8, or pass "
        "--encoding utf-8 or --encoding gb18030"
    ),
    "import.stage": N_("--stage: {message}"),
    "import.on_duplicate": N_("--on-duplicate {message}"),
    "import.map_to": N_('{message}; point one at it with --map "COLUMN={field}"'),
    "import.map_syntax": N_(
        'cannot read --map "{part}" — write HEADER=FIELD pairs, e.g. '
        '--map "公司=company,联系人=name" (FIELD "-" drops the column; '
        '"First Name+Last Name=name" joins columns)'
    ),
    "import.map_column": N_(
        '--map names column "{source}", which {name} does not have — its columns are: {columns}'
    ),
    "import.map_pair": N_("--map {source}={target}: {message}"),
    "import.map_join": N_(
        '--map "{source}": {message}, e.g. --map "First Name+Last Name=name" '
        "(姓+名=name joins 张 and 伟 as 张伟)"
    ),
    "import.map_twice": N_(
        '{message} — drop one with --map "{label}=-", point it elsewhere with '
        '--map, or join them with --map "{first}+{label}={target}"'
    ),
    # leads
    "lead.list": N_("{message} — see salesflow lead list --all"),
    "lead.search": N_('{message} — try salesflow lead list --all --search "{ref}"'),
    "lead.add": N_("{message} — salesflow lead add NAME"),
    "lead.edit": N_("{message} — give at least one option, see lead edit --help"),
    "lead.email": N_("{message} — check --email, or leave it out"),
    "lead.value_currency": N_('--value "{value}" is in {named} but --currency says {code}'),
    # moves
    "advance.reopen": N_("{message} — reopen it first: salesflow advance {lead} --reopen"),
    "advance.reopen_open": N_("{message} — --reopen is for won or lost leads"),
    "advance.lost_reason": N_(
        '{message} — salesflow advance {lead} lost --reason "price too high"'
    ),
    "advance.reason_not_lost": N_("--reason is for lost deals — use --note for other moves"),
    "advance.next": N_("{message} — name the next one: won, or lost --reason …"),
    # pipeline
    "stages.set": N_("{message}, e.g. salesflow stages set lead:10 quote:60"),
    "stages.map_from": N_('--map {old}={new}: there is no open stage "{old}" to move from'),
    "stages.map_stays": N_(
        '--map {old}={new}: "{old}" stays in the new pipeline — --map is for stages that go'
    ),
    "stages.map_to": N_(
        '--map {old}={new}: "{new}" is not an open stage of the new pipeline '
        "(close deals with salesflow advance)"
    ),
    "stages.map_dropped": N_("{message} — keep the stage or add --map {stage}=NEW_STAGE"),
    # activities
    "config.activity_kinds": N_("{message} (or: salesflow config set activity_kinds …)"),
    "log.note": N_('{message} — salesflow log {lead} "what happened" --kind call'),
    "log.future": N_(
        "--at {at} is in the future — log touches that happened; plan the next one "
        "with --next ACTION --due DATE"
    ),
    # follow-ups
    "followup.list_all": N_("{message} — see salesflow followup list --all"),
    "followup.list_lead": N_("{message} — see salesflow followup list --lead {lead}"),
    "followup.list": N_("{message} — see salesflow followup list"),
    "followup.force": N_("{message} — pick a later date, or add --force to record it as overdue"),
    # customers
    "customer.list": N_("{message} — see salesflow customer list --all"),
    "customer.edit": N_(
        "{message} — give --segment, --checkin, --name, --address, --tax-id or --doc-lang, "
        "see customer edit --help"
    ),
    # settings and targets
    "config.list": N_("{message} — see salesflow config list"),
    "config.me_emails": N_(
        "{message} — salesflow config set me.emails you@example.com,you@gmail.com"
    ),
    # reminders
    "remind.within": N_('--within "{text}" — use minutes or hours up to 7 days: 15m, 1h'),
    "config.fx": N_("{message}, e.g. salesflow config set fx.USD 7.10"),
    "target.list": N_("{message} — see salesflow target list"),
    "target.set": N_("{message} — set one: salesflow target set {period} AMOUNT"),
    "target.set_example": N_("{message} — e.g. salesflow target set {period} 200000"),
    # custom fields
    "config.fields": N_("{message} — declare it: salesflow config set fields {fields}"),
    "field.own_fact": N_("{message}: set it with {option}"),
    # products
    "product.list": N_("{message} — see salesflow product list"),
    "product.show": N_("{message} — see salesflow product show {ref}"),
    "product.edit": N_(
        "{message} — give --name, --sku, --price, --unit or --tax (see product edit --help)"
    ),
    "product.rm_force": N_(
        "{message} — salesflow product rm {ref} --force removes it and keeps those lines as text"
    ),
    "quote.tax": N_("{message} — give the quote's rate with --tax"),
    # quotes
    "quote.list": N_("{message} — see salesflow quote list"),
    "quote.show": N_("{message} — see salesflow quote show {number}"),
    "quote.valid_later": N_(
        "{message} — give a later date, e.g. --valid 30d or --valid 2026-12-31"
    ),
    "quote.edit": N_(
        "{message} — give --discount, --tax, --valid, --note, --terms, --delivery or "
        "--tax-note (see quote edit --help)"
    ),
    "quote.copy": N_("{message}; make a new version with: salesflow quote copy {number}"),
    "quote.copy_to": N_(
        "{message} — to {action} a new offer, make a new version with: "
        "salesflow quote copy {number}"
    ),
    "quote.copy_to_send": N_(
        "{message} — to send a changed offer, make a new version: salesflow quote copy {number}"
    ),
    "quote.send_first": N_("{message} — send it first: salesflow quote send {number}"),
    "quote.add_item": N_(
        "{message} — add one first: "
        'salesflow quote add-item {number} "description; quantity; unit price"'
    ),
    "quote.accept_expired": N_(
        "{message} — accept it anyway with --force, or make a new version: "
        "salesflow quote copy {number}"
    ),
    "quote.lost_reason": N_(
        '--lost needs the reason the deal was lost: --reason "budget cut" ({number})'
    ),
    "quote.stage_setting": N_(
        "{message} (salesflow config set quote.stage NAME picks the quote stage)"
    ),
    "quote.item_discount_twice": N_(
        'item "{description}" has a discount in its text and --discount — give it once'
    ),
}


def say(e: SalesflowError) -> str:
    """The error as the command line tells it."""
    return word(e.message, e.hint)


def word(message: str, hint: Hint | None) -> str:
    """A domain sentence and its hint as the command line tells them."""
    if hint is None:
        return message
    values = hint.values
    if "fact" in values:  # a lead's own fact, as the option lead add/edit sets it with
        fact = values["fact"]
        values = {**values, "option": "--" + _FACT_OPTIONS.get(fact, fact).replace("_", "-")}
    return _(WORDING[hint.action]).format(message=message, **values)


_FACT_OPTIONS = {"tags": "tag", "notes": "note"}


def sent_quotes(numbers: tuple[str, ...], *, won: bool) -> str:
    """What to do with the quotes still out when a deal closes: a win is recorded with the
    quote the client took (its total becomes the deal value), a loss with the client's no."""
    listed = _(", ").join(numbers)
    if won and len(numbers) == 1:
        return _(
            "Quote {number} is still sent — if the client took it: salesflow quote accept "
            "{number} (the deal value becomes its total)"
        ).format(number=listed)
    if won:
        return _(
            "Quotes {numbers} are still sent — accept the one the client took: "
            "salesflow quote accept NUMBER (the deal value becomes its total)"
        ).format(numbers=listed)
    if len(numbers) == 1:
        return _(
            "Quote {number} is still sent — record the client's no: salesflow quote reject "
            '{number} --reason "…"'
        ).format(number=listed)
    return _(
        "Quotes {numbers} are still sent — record the client's no: salesflow quote reject "
        'NUMBER --reason "…" for each'
    ).format(numbers=listed)
