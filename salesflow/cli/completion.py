"""`salesflow completion bash|zsh|fish`: the shell script that completes salesflow's commands,
options and values (stage names, lead numbers and names, quote numbers, config keys, formats).

The script asks salesflow itself (`_SALESFLOW_COMPLETE=complete_bash …`), which answers from
the Typer tree and the database (cli/complete.py); ordinary commands never load any of it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from salesflow.cli.params import Argument, Context, command_group
from salesflow.i18n import N_

app = command_group(help=N_("Shell completion."))


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


# Typer's bash script puts each candidate into the line as it is; a lead name with a space
# or a quote must go in escaped ("Mateo\\ O\\'Brien"), or the shell reads it differently.
_BASH_ESCAPE = r"""    local i c
    for i in "${!COMPREPLY[@]}"; do
        for c in ' ' "'" '"' '(' ')' '&' ';' '<' '>' '|' '$' '`'; do
            COMPREPLY[$i]=${COMPREPLY[$i]//"$c"/\\$c}
        done
    done
    return 0"""


@app.command("completion")
def completion(
    ctx: Context, shell: Annotated[Shell, Argument(help=N_("bash, zsh or fish."))]
) -> None:
    """Print the completion script for a shell. Load it from the shell's start-up file:

    \b
    bash:  eval "$(salesflow completion bash)"      (in ~/.bashrc)
    zsh:   eval "$(salesflow completion zsh)"       (in ~/.zshrc, after compinit)
    fish:  salesflow completion fish > ~/.config/fish/completions/salesflow.fish
    """
    from typer._completion_shared import get_completion_script

    script = get_completion_script(
        prog_name="salesflow", complete_var="_SALESFLOW_COMPLETE", shell=shell.value
    )
    if shell is Shell.bash:
        script = script.replace("    return 0", _BASH_ESCAPE, 1)
    ctx.obj.term.out.write(script + "\n")
