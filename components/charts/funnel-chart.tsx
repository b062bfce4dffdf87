"use client";
// How many attempts reached each funnel position, and where the others stopped. One bar per
// position, top to bottom, so the position names sit on their own lines at any width (side by side
// they overlapped on a 360 px phone).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { CATEGORY_AXIS, COLOURS, formatCount } from "./palette";

export type FunnelChartDatum = { label: string; wentOn: number; stopped: number; completed: number };

export function FunnelChart({ data, title }: { data: FunnelChartDatum[]; title: string }) {
  return (
    <BarChart responsive width="100%" height={Math.max(240, 40 * data.length + 70)} layout="vertical" data={data} title={title} desc="The table below gives the same numbers." margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" tickFormatter={formatCount} />
      <YAxis {...CATEGORY_AXIS} />
      <Tooltip formatter={(value) => formatCount(Number(value))} />
      <Legend />
      <Bar dataKey="wentOn" name="Went on" stackId="reached" fill={COLOURS.primary} isAnimationActive={false} />
      <Bar dataKey="completed" name="Completed" stackId="reached" fill={COLOURS.resolved} isAnimationActive={false} />
      <Bar dataKey="stopped" name="Stopped here" stackId="reached" fill={COLOURS.none} isAnimationActive={false} />
    </BarChart>
  );
}
