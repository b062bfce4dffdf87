"use client";
// Median and 90th percentile time per step (the upper end of the band holding each).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatSeconds } from "@/lib/insights/durations";
import { CATEGORY_AXIS, COLOURS } from "./palette";

export type DurationChartDatum = { label: string; median: number | null; p90: number | null };

export function DurationChart({ data, title }: { data: DurationChartDatum[]; title: string }) {
  return (
    <BarChart responsive width="100%" height={Math.max(220, 48 * data.length)} layout="vertical" data={data} title={title} desc="The table below gives the same numbers." margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" tickFormatter={(s: number) => formatSeconds(s)} />
      <YAxis {...CATEGORY_AXIS} />
      <Tooltip formatter={(value) => `up to ${formatSeconds(Number(value))}`} />
      <Legend />
      <Bar dataKey="median" name="Median" fill={COLOURS.median} isAnimationActive={false} />
      <Bar dataKey="p90" name="90th percentile" fill={COLOURS.p90} isAnimationActive={false} />
    </BarChart>
  );
}
