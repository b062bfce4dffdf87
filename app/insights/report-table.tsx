// One report table: the accessible alternative to its chart and the page's own record of the
// numbers, with the link to the same table as CSV.
import Link from "@/components/link";
import { TableScroll } from "@/components/table-scroll";
import { formatCell, shareIn, type ColumnFormat, type ReportTable } from "@/lib/insights/tables";

const isNumeric = (format: ColumnFormat) => format !== "text" && format !== "id" && format !== "datetime";

export function ReportTableView({ table, csvHref, testId }: { table: ReportTable; csvHref: string; testId?: string }) {
  return (
    <div className="stack">
      <TableScroll className="card insights-table" label={table.title}>
        <table data-testid={testId}>
          <caption>
            <span className="sr-only">{table.title}. </span>
            {table.caption}
          </caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col" className={isNumeric(c.format) ? "num" : undefined}>{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 ? (
              <tr>
                <td colSpan={table.columns.length} className="muted">Nothing in this period.</td>
              </tr>
            ) : (
              table.rows.map((row, index) => (
                <tr key={index} id={row.id}>
                  {table.columns.map((c, i) => {
                    const text = formatCell(row.cells[c.key] ?? null, c.format);
                    const href = row.links?.[c.key];
                    const share = c.shareOf ? shareIn(row, c) : null;
                    const shown = c.format === "id" ? <code>{text}</code> : text;
                    const content = (
                      <>
                        {href ? <Link href={href}>{shown}</Link> : shown}
                        {share !== null ? <span className="share"> {formatCell(share, "percent")}</span> : null}
                      </>
                    );
                    return i === 0 ? (
                      <th key={c.key} scope="row">{content}</th>
                    ) : (
                      <td key={c.key} className={isNumeric(c.format) ? "num" : undefined}>{content}</td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableScroll>
      <p className="small">
        <a href={csvHref} download>Download “{table.title}” as CSV</a>
      </p>
    </div>
  );
}
