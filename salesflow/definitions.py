"""What every report figure means, in words: printed by `salesflow report --help`.

A module of its own so the command tree can show it without importing the report code
(start-up time is on every command's path). salesflow/metrics/ implements exactly this.
"""

from salesflow.i18n import N_

DEFINITIONS = N_("""\
Definitions (every figure is computed from the stored history):
  Window: --since/--until pick local days (default: all time). The cohort
    is the leads CREATED in the window (funnel, conversion, lead-to-win,
    leads per source); closed-deal figures (won, lost, win rate, average
    deal, cycle) count the deals CLOSED in it; open deals and pipeline are
    a snapshot now (or at --as-of), whatever --until says.
  --as-of D: the numbers as they stood at the end of local day D; each
    lead's stage is rebuilt from its stage history and later leads do not
    exist yet. Values, sources, grades and close dates are today's.
  Reached: a deal reached stage s if it ever entered s, any later open
    stage, or won (skipped stages count as reached); a lost deal reached
    the stages up to and including the one it was lost from.
  Conversion s -> next: reached(next) / reached(s).
  Win rate: won / (won + lost); by value: won value / (won + lost value).
  Lead-to-win: cohort leads now won / cohort size.
  Average deal: mean value of won deals (deals without a value left out).
  Cycle: local calendar days from creation to won, median and mean (a
    deal won the day it was created: 0).
  Time in stage: days from entering a stage to leaving it, per visit; a
    deal still in it counts until now (or the --as-of day).
  Weighted pipeline: sum of open value x stage probability.
  Velocity: open deals x win rate x average deal / mean cycle days
    (money per day).
  Follow-up timeliness: follow-ups due in the window done on or before
    their due day (local date of completion) / follow-ups due in the
    window whose day is over.
  First touch: hours from a lead's creation to its first logged activity,
    median over the cohort's touched leads.
  Repeat purchase rate: customers with >= 2 won deals / customers with
    >= 1 (deals won in the window).
  Money: in the base currency (config currency); other currencies at
    `config set fx.CODE RATE` (1 CODE = RATE base). A currency without a
    rate is left out of money figures and named in a warning.
  Rates: fractions 0-1 in machine formats; null where undefined.
""")
