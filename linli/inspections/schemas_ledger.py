"""What the ledger's API answers (api_ledger.py): the figures, each with the orders list
behind it, and the ledger's rows as the export writes them."""

from datetime import date

from ninja import Schema

from linli.inspections import ledger


class LedgerFigureOut(Schema):
    count: int
    orders_url: str  # the orders list page (/inspections/orders/?...) showing these orders

    @staticmethod
    def resolve_orders_url(obj: ledger.Figure) -> str:
        return obj.url


class LedgerRateOut(Schema):
    """整改完成率: rectified / due."""

    due: LedgerFigureOut
    rectified: LedgerFigureOut
    rate: float | None  # in per cent, one decimal; null when nothing is due

    @staticmethod
    def resolve_rate(obj: ledger.Rate) -> float | None:
        return None if obj.percent is None else float(obj.percent)


class LedgerRowOut(Schema):
    """One line of figures: the summary, a campaign or a topic."""

    label: str
    found: LedgerFigureOut
    rectified: LedgerFigureOut
    overdue: LedgerFigureOut
    open: LedgerFigureOut
    signed_off: LedgerFigureOut
    rate: LedgerRateOut


class LedgerGridOut(Schema):
    label: str
    months: list[LedgerRateOut]  # one per month of `months`
    total: LedgerRateOut

    @staticmethod
    def resolve_months(obj: ledger.GridRow) -> list[ledger.Rate]:
        return obj.cells


class LedgerOut(Schema):
    first: date
    last: date
    months: list[str]  # "2026-03", the columns of `by_grid`
    summary: LedgerRowOut
    by_grid: list[LedgerGridOut]
    month_totals: list[LedgerRateOut]
    by_campaign: list[LedgerRowOut]
    by_topic: list[LedgerRowOut]

    @staticmethod
    def resolve_first(obj: ledger.Ledger) -> date:
        return obj.query.first

    @staticmethod
    def resolve_last(obj: ledger.Ledger) -> date:
        return obj.query.last

    @staticmethod
    def resolve_months(obj: ledger.Ledger) -> list[str]:
        return [f"{year}-{month:02d}" for year, month in obj.months]

    @staticmethod
    def resolve_by_grid(obj: ledger.Ledger) -> list[ledger.GridRow]:
        return obj.grids


class LedgerLineOut(Schema):
    """A row of the ledger, in the columns of the export (序号 … 销号日期)."""

    number: int                  # 序号
    order_id: int
    target: str                  # 检查对象
    address: str                 # 地址
    hazard: str                  # 隐患描述
    severity: str                # 隐患等级 (minor, general, major)
    severity_words: str
    measures: str                # 整改措施
    responsible_party: str       # 责任人
    due_on: date                 # 整改期限
    state: str
    status: str                  # 整改情况
    rechecked_by: str            # 复查人
    signed_off_on: date | None   # 销号日期


class LedgerLinesOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[LedgerLineOut]
