"""tender-check: the command line (design interface 2).

Exit status: 0 nothing at or above --fail-on, 1 something was, 2 usage, input or internal
error (one line on stderr). Results go to stdout; progress and logs to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path

from checker import __version__
from checker.errors import CheckerError
from checker.model import JURISDICTIONS, REGIMES, SEVERITIES

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


SUPPORTED_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".txt")


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its help in Chinese (its error texts stay English for usage_message to read)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> None:  # one line and status 2, as for any other usage error
        self.exit(EXIT_ERROR, f"tender-check: {usage_message(message, self)}（见 --help）\n")


def _all_options(parser: argparse.ArgumentParser) -> set[str]:
    options = set(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options |= _all_options(sub)
    return options


def usage_message(message: str, parser: argparse.ArgumentParser) -> str:
    """argparse's message in Chinese, with a "did you mean" for a mistyped subcommand, choice or option."""
    import difflib

    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        wrong, options = choice.group(1), re.findall(r"'([^']*)'", choice.group(2))
        close = difflib.get_close_matches(wrong, options, n=1, cutoff=0.5)
        hint = f"，是不是要用 {close[0]}？" if close else f"（可选：{'、'.join(options)}）"
        return f"无效的选项值 {wrong!r}{hint}"
    unknown = re.match(r"unrecognized arguments: (.*)", message)
    if unknown:
        words = unknown.group(1).split()
        known = sorted(_all_options(parser))
        hints = []
        for word in words:
            if word.startswith("-"):
                close = difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6)
                if close:
                    hints.append(f"{word} → 是不是要用 {close[0]}？")
        return f"无法识别的参数：{' '.join(words)}" + (f"（{'；'.join(hints)}）" if hints else "")
    required = re.match(r"the following arguments are required: (.*)", message)
    if required:
        return f"缺少参数：{required.group(1)}"
    expected = re.match(r"argument (\S+): expected one argument", message)
    if expected:
        return f"{expected.group(1)} 需要一个值"
    invalid = re.match(r"argument (\S+): invalid (\w+) value: (.*)", message)
    if invalid:
        return f"{invalid.group(1)} 的值 {invalid.group(3)} 无效"
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tender-check", description="检查招标文件中的歧视性条款以及首台（套）政策的落实情况。")
    parser.add_argument("--version", action="version", version=f"tender-check {__version__}", help="显示版本号并退出")
    parser.add_argument("-v", "--verbose", action="store_true", help="在标准错误输出详细日志")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="子命令", metavar="COMMAND")

    check = commands.add_parser("check", help="检查招标文件（PDF、DOCX、DOC、HTML、文本）")
    check.add_argument("files", nargs="*", metavar="FILE", help="文件、文件夹（递归查找其中的 PDF、DOCX、DOC、HTML 和 TXT）或 -（读取标准输入）")
    check.add_argument("--sample", action="store_true", help="检查内置的示例招标文件（本项目编写的一份浙江货物类招标文件）")
    check.add_argument("--format", choices=["text", "json", "html", "sarif", "xlsx"], default="text",
                       help="报告格式；xlsx 为整改清单（每条问题一行），须用 -o OUT 写入文件")
    check.add_argument("-o", "--output", metavar="OUT", help="把报告写入 OUT 而不是标准输出（xlsx 必须指定）")
    _add_check_options(check)
    check.add_argument("--no-progress", action="store_true", help="不在标准错误输出显示进度条")
    check.add_argument("--save", action="store_true", help="同时把每份报告存入 `tender-check serve` 所用的报告数据库（未设置 $TENDER_CHECK_DATABASE_URL 时为 $TENDER_CHECK_HOME 中的 SQLite）")

    annotate = commands.add_parser("annotate", help="生成批注版：把审查意见写入文件（DOCX 批注、PDF 高亮）")
    annotate.add_argument("file", metavar="FILE")
    annotate.add_argument("-o", "--output", metavar="OUT", help="输出位置（文件或文件夹）；默认写到 FILE 所在文件夹，文件名为 …_审查意见.docx/.pdf")
    _add_check_options(annotate)

    rules = commands.add_parser("rules", help="列出全部规则，或说明某一条规则")
    rules.add_argument("--explain", metavar="ID", help="显示一条规则及其说明")
    rules.add_argument("--format", choices=["text", "json"], default="text")

    evaluate = commands.add_parser("eval", help="在已标注的条款集（JSON Lines）上评估")
    evaluate.add_argument("dataset", metavar="DATASET.jsonl")
    evaluate.add_argument("--predictions", metavar="OUT.jsonl", help="把每条条款的预测结果写入 OUT（每行一条）")
    evaluate.add_argument("--format", choices=["text", "json"], default="text")

    catalogue = commands.add_parser("catalogue", help="首台（套）目录：导入、搜索")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", required=True, parser_class=_Parser, title="子命令", metavar="COMMAND")
    importing = catalogue_commands.add_parser("import", help="校验目录文件（CSV、XLSX、JSON）并加入本地目录")
    importing.add_argument("file")
    importing.add_argument("--name", help="未写明所属目录的行使用的目录名称")
    importing.add_argument("--dry-run", action="store_true", help="只校验并报告，不保存")
    search = catalogue_commands.add_parser("search", help="搜索目录条目")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--catalogue", action="append", metavar="PATH")
    search.add_argument("--format", choices=["text", "json"], default="text")

    serve = commands.add_parser("serve", help="运行 HTTP API 和网页")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    return parser


def _add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jurisdiction", choices=["auto", *JURISDICTIONS], default="auto", help="适用哪一地的规定（默认：根据采购人和地址识别）")
    parser.add_argument("--regime", choices=REGIMES, help="政府采购、招标投标法或企业采购规则（默认：自动识别）")
    parser.add_argument("--catalogue", action="append", metavar="PATH", help="使用这些首台（套）目录文件（CSV、XLSX、JSON）代替内置和已导入的目录；可重复指定")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="risk", help="退出状态为 1 的最低严重程度（默认：risk）")
    parser.add_argument("--max-pages", type=int, default=1500, help="拒绝页数超过此值的文件（默认 1500）")
    parser.add_argument("--timeout", type=float, default=120.0, help="解析一份文件允许的秒数（默认 120）")


def _check_options(args):
    from checker.catalogue import Catalogue
    from checker.ingest import Limits
    from checker.pipeline import CheckOptions

    if args.max_pages < 1 or args.timeout <= 0:
        raise CheckerError("--max-pages 和 --timeout 必须为正数")
    catalogue = Catalogue.from_paths(args.catalogue) if args.catalogue else None
    return CheckOptions(
        jurisdiction=args.jurisdiction,
        regime=args.regime,
        catalogue=catalogue,
        limits=Limits(max_pages=args.max_pages, timeout_s=args.timeout),
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        handler = {"check": _check, "annotate": _annotate, "rules": _rules, "eval": _eval, "catalogue": _catalogue, "serve": _serve}[args.command]
        return handler(args)
    except CheckerError as exc:
        print(f"tender-check: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


def _check(args) -> int:
    from checker.report import fails
    from checker.report.render import render, to_html, to_sarif

    if args.sample:
        args.files = [*args.files, str(sample_document())]
    if not args.files:
        raise CheckerError("没有指定要检查的文件（FILE、文件夹或 -，或用 --sample）")
    args.files = expand_inputs(args.files)
    if args.format == "xlsx" and (not args.output or args.output == "-"):
        raise CheckerError("整改清单（--format xlsx）是二进制文件，不能输出到终端：请用 -o 指定文件，例如 -o 整改清单.xlsx")
    options = _check_options(args)
    store = _report_store() if args.save else None
    reports, errors, outcomes = [], 0, []
    show_progress = not args.no_progress and sys.stderr.isatty()
    for path in args.files:
        try:
            report = _check_one(path, options, show_progress)
        except CheckerError as exc:
            errors += 1
            reason = str(exc)
            name = STDIN_NAME if path == "-" else Path(path).name
            # most reasons already start with the file's name
            print(f"tender-check: {reason if reason.startswith(name) else f'{path}: {reason}'}", file=sys.stderr)
            outcomes.append((path, None, reason))
            continue
        if store is not None:
            print(f"tender-check: {report['document']['name']}：已保存为报告 {store.save_report(report)}", file=sys.stderr)
        reports.append(report)
        outcomes.append((path, report, None))
    if reports and args.format == "xlsx":
        from checker.report.xlsx import to_xlsx

        _write_output(args.output, to_xlsx(reports))
        print(f"tender-check: 整改清单已写入 {args.output}（{sum(len(r['findings']) for r in reports)} 条）", file=sys.stderr)
    elif reports:
        if len(args.files) == 1:
            output = render(reports[0], args.format)
        elif args.format == "json":
            output = json.dumps(reports, ensure_ascii=False, indent=2)
        elif args.format == "sarif":
            runs = [json.loads(to_sarif(r))["runs"][0] for r in reports]
            output = json.dumps({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": runs}, ensure_ascii=False, indent=2)
        elif args.format == "html":
            output = to_html(reports[0]).replace("</main>", "".join(to_html(r, embedded=True) for r in reports[1:]) + "</main>")
        else:
            output = "\n\n".join(render(r, "text") for r in reports)
            if len(args.files) > 1:
                output += "\n\n" + summary_table(outcomes, args.fail_on)
        if args.format != "text" and len(args.files) > 1:
            print(summary_table(outcomes, args.fail_on), file=sys.stderr)  # stdout stays one document of its format
        if args.output and args.output != "-":
            _write_output(args.output, (output + "\n").encode("utf-8"))
        else:
            print(output)
    if errors:
        return EXIT_ERROR
    return EXIT_FOUND if any(fails(r, args.fail_on) for r in reports) else EXIT_OK


STDIN_NAME = "stdin.txt"


def expand_inputs(paths: list[str]) -> list[str]:
    """FILE arguments as documents: a folder means every supported file under it (sorted,
    hidden ones skipped), ``-`` standard input."""
    expanded: list[str] = []
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            found = sorted(
                str(p) for p in folder.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            )
            if not found:
                raise CheckerError(f"{path}：文件夹中没有可检查的文件（{'、'.join(SUPPORTED_SUFFIXES)}）")
            expanded += found
        else:
            expanded.append(path)
    if expanded.count("-") > 1:
        raise CheckerError("标准输入（-）只能读取一次")
    return expanded


def _check_one(path: str, options, show_progress: bool) -> dict:
    from checker.pipeline import check_bytes, check_path

    progress = _Progress(STDIN_NAME if path == "-" else Path(path).name) if show_progress else None
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            if len(data) > options.limits.max_bytes:
                raise CheckerError(f"标准输入超过 {options.limits.max_bytes // 2**20} MB 的上限", code="too_large")
            return check_bytes(data, STDIN_NAME, options, progress=progress)
        return check_path(path, options, progress=progress)
    finally:
        if progress is not None:
            progress.close()


class _Progress:
    """A progress bar on a terminal's stderr: pages parsed, then clauses checked."""

    def __init__(self, name: str):
        from tqdm import tqdm

        self.bar = tqdm(desc=f"{name} 解析中", unit="页", file=sys.stderr, leave=False, total=None)

    def __call__(self, kind: str, *details) -> None:
        if kind == "parsed":
            self.bar.set_description_str(self.bar.desc.replace("解析中", f"已解析 {details[0]} 页"))
        elif kind == "progress":
            stage, done, total = details
            if stage == "clauses":
                self.bar.unit = "条"
                self.bar.total = total
                self.bar.n = done
                self.bar.set_postfix_str("检查条款")
                self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def summary_table(outcomes: list, fail_on: str) -> str:
    """One line per document: violations, risks, advice and the verdict; then the totals."""
    from checker.report import fails

    rows = [("文件", "违规", "风险", "提示", "结论")]
    totals = {"violation": 0, "risk": 0, "advice": 0}
    for path, report, error in outcomes:
        if report is None:
            rows.append((path, "-", "-", "-", f"无法检查：{error[:40]}"))
            continue
        counts = report["summary"]["by_severity"]
        for key in totals:
            totals[key] += counts.get(key, 0)
        verdict = "需修改" if fails(report, fail_on) else "通过"
        rows.append((path, str(counts.get("violation", 0)), str(counts.get("risk", 0)), str(counts.get("advice", 0)), verdict))
    rows.append((f"合计 {len(outcomes)} 份", str(totals["violation"]), str(totals["risk"]), str(totals["advice"]), ""))

    def width(text: str) -> int:  # a CJK character takes two columns on a terminal
        import unicodedata

        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-" * width(lines[0]))
    lines.insert(len(lines) - 1, "-" * width(lines[0]))
    return "\n".join(lines)


def _write_output(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise CheckerError(f"无法写入 {path}：{exc.strerror or exc}") from None


def _annotate(args) -> int:
    from checker.ingest import read_bytes
    from checker.report import fails
    from checker.report.annotate import annotate_bytes

    options = _check_options(args)
    source = Path(args.file)
    data = read_bytes(source, options.limits)
    try:
        copy = annotate_bytes(data, source.name, options)
    except CheckerError as exc:
        reason = str(exc)
        raise CheckerError(reason if reason.startswith(source.name) else f"{args.file}: {reason}") from None
    if args.output and Path(args.output).is_dir():
        target = Path(args.output) / copy.name
    elif args.output:
        target = Path(args.output)
    else:
        target = source.with_name(copy.name)
    if target.resolve() == source.resolve():
        raise CheckerError(f"不会覆盖原文件 {source}：请用 -o 指定另一个文件")
    _write_output(str(target), copy.data)
    print(f"{target}\t{copy.summary()}")
    return EXIT_FOUND if fails(copy.report, args.fail_on) else EXIT_OK


def _report_store():
    from api.storage import ReportStore

    return ReportStore()  # $TENDER_CHECK_DATABASE_URL, else SQLite in $TENDER_CHECK_HOME


def sample_document() -> Path:
    from importlib import resources

    return Path(str(resources.files("corpus") / "tenders" / "zj-gp-broach-brands.pdf"))


def _rules(args) -> int:
    from checker.detect.rules import default_rules

    rules = list(default_rules())
    if args.explain:
        wanted = args.explain.upper()
        rule = next((r for r in rules if r.id == wanted), None)
        if rule is None:
            raise CheckerError(f"没有规则 {args.explain}（用 `tender-check rules` 查看全部规则）")
        if args.format == "json":
            print(json.dumps(rule_summary(rule, full=True), ensure_ascii=False, indent=2))
        else:
            print(rule.explain())
        return EXIT_OK
    if args.format == "json":
        print(json.dumps([rule_summary(r) for r in rules], ensure_ascii=False, indent=2))
        return EXIT_OK
    for rule in rules:
        print(f"{rule.id}  {rule.severity:9}  {rule.category:32} {','.join(rule.jurisdictions):10} {rule.title}")
    return EXIT_OK


def rule_summary(rule, full: bool = False) -> dict:
    summary = {
        "id": rule.id, "name": rule.name, "title": rule.title, "category": rule.category, "severity": rule.severity,
        "regimes": rule.regimes, "jurisdictions": rule.jurisdictions, "sections": rule.sections,
    }
    if full:
        summary |= {
            "message": rule.message, "suggestion": rule.suggestion, "doc": rule.doc, "legal_basis": rule.legal_basis,
            "examples": {"flag": [e.text for e in rule.flag_examples], "pass": [e.text for e in rule.pass_examples]},
        }
    return summary


def _eval(args) -> int:
    from tqdm import tqdm

    from checker.evaluate import evaluate, format_text, load_dataset

    total = len(load_dataset(args.dataset))
    with tqdm(total=total, desc="评估中", unit="条", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        result, predictions = evaluate(args.dataset, progress=bar)
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as out:
            for prediction in predictions:
                out.write(json.dumps(prediction.to_dict(), ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.format == "json" else format_text(result))
    return EXIT_OK


def _catalogue(args) -> int:
    from checker.catalogue import Catalogue

    if args.catalogue_command == "import":
        if not Path(args.file).is_file():
            raise CheckerError(f"无法读取 {args.file}")
        result = Catalogue.import_file(args.file, catalogue=args.name, save=not args.dry_run)
        print(result.report())
        return EXIT_OK if result.entries else EXIT_ERROR
    catalogue = Catalogue.from_paths(args.catalogue) if args.catalogue else Catalogue.default()
    hits = catalogue.search(args.query, limit=args.limit)
    if args.format == "json":
        print(json.dumps([{**entry.to_dict(), "score": round(score, 1)} for entry, score in hits], ensure_ascii=False, indent=2))
    else:
        for entry, score in hits:
            print(f"{score:5.1f}  {entry.name}  {entry.company or '-'}  {entry.level or '-'}  {entry.catalogue}")
        if not hits:
            print("没有匹配的目录条目", file=sys.stderr)
    return EXIT_OK


def _serve(args) -> int:
    from api.serve import serve

    serve(host=args.host, port=args.port, threads=args.threads)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
