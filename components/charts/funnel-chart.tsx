"use client";
// How many attempts reached each funnel position, and where the others stopped.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { COLOURS, formatCount } from "./palette";

export type FunnelChartDatum = { label: string; wentOn: number; stopped: number; completed: number };

export function FunnelChart({ data, title }: { data: FunnelChartDatum[]; title: string }) {
  return (
    <BarChart responsive width="100%" height={300} data={data} title={title} desc="The table below gives the same numbers." margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" interval={0} tick={{ fontSize: 12 }} />
      <YAxis tickFormatter={formatCount} width={56} />
      <Tooltip formatter={(value) => formatCount(Number(value))} />
      <Legend />
      <Bar dataKey="wentOn" name="Went on" stackId="reached" fill={COLOURS.primary} isAnimationActive={false} />
      <Bar dataKey="completed" name="Completed" stackId="reached" fill={COLOURS.resolved} isAnimationActive={false} />
      <Bar dataKey="stopped" name="Stopped here" stackId="reached" fill={COLOURS.none} isAnimationActive={false} />
    </BarChart>
  );
}
