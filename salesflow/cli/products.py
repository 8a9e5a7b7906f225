"""`salesflow product …`: the catalogue quote lines can name (`--item "G2; 50"`)."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.options import Format, FormatOpt, LimitOpt, RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_

app = command_group(
    help=N_(
        "The product catalogue: SKU, name, list price, unit and tax rate; quote lines name "
        'a product with --item "SKU; quantity".'
    ),
    no_args_is_help=True,
)

ProductRef = Annotated[
    str, Argument(metavar="PRODUCT", help=N_("SKU, name, #id, or a unique piece of SKU or name."))
]
SkuOpt = Annotated[str | None, Option("--sku", help=N_("Stock-keeping unit, unique (any case)."))]
UnitOpt = Annotated[str | None, Option("--unit", help=N_("Unit on quote lines: 台, pcs, days …"))]
TaxOpt = Annotated[
    str | None,
    Option("--tax", help=N_("Tax rate, e.g. 13%: a new quote of these products charges it.")),
]
CurrencyOpt = Annotated[
    str | None, Option("--currency", help=N_("ISO 4217 code (default: the price's, else config)."))
]


def _price(text: str, currency: str | None, default: str) -> object:
    from salesflow import money
    from salesflow.errors import SalesflowError
    from salesflow.i18n import _

    code = money.check_currency(currency) if currency else None
    price = money.parse_money(text, code or default)
    if code and price.currency != code:
        raise SalesflowError(
            _('--price "{text}" is in {named} but --currency says {code}').format(
                text=text, named=price.currency, code=code
            )
        )
    return price


def _tax(text: str | None) -> object:
    if text is None:
        return None
    from salesflow.quotes.parse import parse_tax

    return parse_tax(text)


@app.command("add")
def add(
    ctx: Context,
    name: Annotated[str, Argument(help=N_('The name quote lines carry: "Edge gateway G2".'))],
    price: Annotated[str, Option("--price", "-p", help=N_("List price: 980, ¥980, $140, 1.2k …"))],
    sku: SkuOpt = None,
    currency: CurrencyOpt = None,
    unit: UnitOpt = None,
    tax: TaxOpt = None,
) -> None:
    """Add a product to the catalogue."""
    from salesflow import money, products
    from salesflow.i18n import _

    s: Session = ctx.obj
    with s.write() as conn:
        p = products.add(
            conn, name=name, sku=sku, price=_price(price, currency, s.currency), unit=unit,
            tax_rate=_tax(tax), now_iso=s.now_iso,
        )  # fmt: skip
    shown = money.display(p.price_minor, p.currency) + (f" / {p.unit}" if p.unit else "")
    s.term.say(_("Added product {product}: {price}").format(product=p.label, price=shown))


def product_columns() -> list:
    from salesflow import money
    from salesflow.i18n import _
    from salesflow.output import Column

    def price(r: dict) -> str:
        return money.display(money.to_minor(_dec(r["price"]), r["currency"]), r["currency"])

    return [
        Column("sku", _("SKU"), style="bold", no_wrap=True),
        Column("name", _("Product")),
        Column("price", _("Price"), justify="right", get=price),
        Column("unit", _("Unit"), hide=3),
        Column("tax_rate", _("Tax"), justify="right", hide=2,
               get=lambda r: f"{r['tax_rate']}%" if r["tax_rate"] is not None else ""),
        Column("quote_lines", _("Lines"), justify="right", hide=1),
    ]  # fmt: skip


def _dec(text: str) -> object:
    from decimal import Decimal

    return Decimal(text)


@app.command("list")
def product_list(
    ctx: Context, limit: LimitOpt = None, fmt: FormatOpt = Format.table, raw: RawOpt = False
) -> None:
    """Every product, by SKU, with how many quote lines name it."""
    from salesflow import products
    from salesflow.i18n import _
    from salesflow.output import render

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [p.record(n) for p, n in products.all_products(conn)[:limit]]
    render(
        rows, fmt.value, s.term, columns=product_columns(), raw=raw, keys=products.RECORD_KEYS,
        empty=_('No products yet — salesflow product add "Edge gateway G2" --sku G2 '
                "--price 980"),
    )  # fmt: skip


@app.command("show")
def show(ctx: Context, ref: ProductRef, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """One product and the quotes that name it."""
    from salesflow import products
    from salesflow.i18n import _
    from salesflow.output import Column, render, write_object

    s: Session = ctx.obj
    with s.read() as conn:
        p = products.resolve(conn, ref)
        used = products.quotes_naming(conn, p.id)
    record = p.record(sum(n for _q, n in used))
    if fmt in (Format.json, Format.ndjson):
        record["quotes"] = [{"number": q, "lines": n} for q, n in used]
        write_object(record, s.term, compact=fmt == Format.ndjson)
        return
    if fmt != Format.table:
        render([record], fmt.value, s.term, raw=raw, keys=products.RECORD_KEYS)
        return
    render([record], "table", s.term, columns=product_columns())
    if used:
        render(
            [{"number": q, "lines": n} for q, n in used], "table", s.term,
            columns=[Column("number", _("Quote"), no_wrap=True),
                     Column("lines", _("Lines"), justify="right")],
        )  # fmt: skip
    else:
        s.term.say(_("No quote names it yet."))


@app.command("edit")
def edit(
    ctx: Context,
    ref: ProductRef,
    name: Annotated[str | None, Option("--name", help=N_("A new name."))] = None,
    sku: Annotated[str | None, Option("--sku", help=N_('A new SKU ("" removes it).'))] = None,
    price: Annotated[str | None, Option("--price", "-p", help=N_("A new list price."))] = None,
    currency: CurrencyOpt = None,
    unit: Annotated[str | None, Option("--unit", help=N_('A new unit ("" removes it).'))] = None,
    tax: Annotated[str | None, Option("--tax", help=N_('A new tax rate ("" removes it).'))] = None,
) -> None:
    """Change a product. Quotes already made keep the description and price they were made
    with."""
    from salesflow import money, products
    from salesflow.i18n import _

    s: Session = ctx.obj
    with s.write() as conn:
        p = products.resolve(conn, ref)
        change = products.Change(
            name=name, sku=sku,
            price=_price(price, currency, currency or p.currency) if price is not None else None,
            unit=unit, tax_rate="" if tax == "" else _tax(tax),
        )  # fmt: skip
        p = products.edit(conn, p, change, s.now_iso)
    shown = money.display(p.price_minor, p.currency)
    s.term.say(_("Changed product {product}: {price}").format(product=p.label, price=shown))


@app.command("rm")
def rm(
    ctx: Context,
    ref: ProductRef,
    force: Annotated[
        bool,
        Option(
            "--force", help=N_("Also when quote lines name it: they keep their text and price.")
        ),
    ] = False,
) -> None:
    """Remove a product from the catalogue (salesflow undo brings it back)."""
    from salesflow import products
    from salesflow.i18n import _, ngettext

    s: Session = ctx.obj
    with s.write() as conn:
        p = products.resolve(conn, ref)
        lines = products.remove(conn, p, force=force)
    if lines:
        s.term.say(
            ngettext(
                "Removed product {product}; {n} quote line keeps its text",
                "Removed product {product}; {n} quote lines keep their text",
                lines,
            ).format(product=p.label, n=lines)
        )
    else:
        s.term.say(_("Removed product {product}").format(product=p.label))


from salesflow.cli.data import (  # noqa: E402 - the import group is data.py's
    DryRunOpt,
    EncodingOpt,
    FileArg,
    OnDuplicate,
    SkipErrorsOpt,
    _run,
    import_app,
)
from salesflow.cli.data import Encoding as _Encoding  # noqa: E402


@import_app.command("products")
def import_products(
    ctx: Context,
    file: FileArg,
    encoding: EncodingOpt = _Encoding.auto,
    dry_run: DryRunOpt = False,
    on_duplicate: Annotated[
        OnDuplicate,
        Option(
            "--on-duplicate",
            help=N_(
                "A row naming a product that exists (same SKU, else same name): skip it, "
                "update the product from its non-empty cells, or count it as an error."
            ),
            case_sensitive=False,
        ),
    ] = OnDuplicate.skip,
    skip_errors: SkipErrorsOpt = False,
) -> None:
    """Import products: what `salesflow export products` writes, or a price list.

    Headers: sku/编码/货号, name/名称/产品名称, price/单价/价格, currency/币种, unit/单位,
    tax_rate/tax/税率. Prices in the row's currency, else the config currency. Other columns
    (id, times) are read but not imported. One transaction, one `salesflow undo`.
    """
    from salesflow.importer.products import apply_products, plan_products

    s: Session = ctx.obj

    def plan(conn, sheet, bar):  # the shape _run calls
        return plan_products(conn, sheet, s.currency, on_duplicate.value, bar)

    _run(s, file, encoding.value, dry_run=dry_run, skip_errors=skip_errors, plan=plan,
         apply=apply_products)  # fmt: skip
