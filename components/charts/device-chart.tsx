"use client";
// Mobile, tablet and desktop side by side, one group of bars per category (a funnel position or a
// journey); `rows` lays the groups out top to bottom, for long lists of categories.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { DEVICE_COLOURS, formatPercent } from "./palette";

export type DeviceChartDatum = { label: string; MOBILE: number | null; TABLET: number | null; DESKTOP: number | null };

export function DeviceChart({ data, title, layout = "columns" }: { data: DeviceChartDatum[]; title: string; layout?: "columns" | "rows" }) {
  const rows = layout === "rows";
  const valueAxis = { type: "number" as const, domain: [0, 1], tickFormatter: formatPercent };
  return (
    <BarChart
      responsive
      width="100%"
      height={rows ? Math.max(260, 40 * data.length + 60) : 300}
      layout={rows ? "vertical" : "horizontal"}
      data={data}
      title={title}
      desc="The table below gives the same numbers."
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={rows} horizontal={!rows} />
      {rows ? (
        <>
          <XAxis {...valueAxis} />
          <YAxis type="category" dataKey="label" width={200} interval={0} tick={{ fontSize: 12 }} />
        </>
      ) : (
        <>
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 12 }} />
          <YAxis {...valueAxis} width={52} />
        </>
      )}
      <Tooltip formatter={(value) => formatPercent(Number(value))} />
      <Legend />
      <Bar dataKey="MOBILE" name="Mobile" fill={DEVICE_COLOURS.MOBILE} isAnimationActive={false} />
      <Bar dataKey="TABLET" name="Tablet" fill={DEVICE_COLOURS.TABLET} isAnimationActive={false} />
      <Bar dataKey="DESKTOP" name="Desktop" fill={DEVICE_COLOURS.DESKTOP} isAnimationActive={false} />
    </BarChart>
  );
}
