"use client";
// Form pieces the shared components/form.tsx does not have (a select and a checkbox), with the same
// accessibility: a label for every control and errors tied to it with aria-describedby.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import type { FormState } from "@/lib/http/form-state";

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & { name: string; label: string; hint?: string; state?: FormState; options: { value: string; label: string }[] };

export function SelectField({ name, label, hint, state, options, id, ...select }: SelectFieldProps) {
  const fieldId = id ?? `field-${name}`;
  const error = state?.fieldErrors?.[name];
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? <span id={`${fieldId}-hint`} className="hint">{hint}</span> : null}
      <select id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>{option.label}</option>
        ))}
      </select>
      {error ? <p id={`${fieldId}-error`} className="field-error">{error}</p> : null}
    </div>
  );
}

type CheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { name: string; label: ReactNode; hint?: ReactNode; state?: FormState };

export function CheckboxField({ name, label, hint, state, id, ...input }: CheckboxFieldProps) {
  const fieldId = id ?? `field-${name}`;
  const error = state?.fieldErrors?.[name];
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="checkbox-field">
      <input type="checkbox" id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <div>
        <label htmlFor={fieldId}>{label}</label>
        {hint ? <div id={`${fieldId}-hint`} className="hint muted">{hint}</div> : null}
        {error ? <p id={`${fieldId}-error`} className="field-error">{error}</p> : null}
      </div>
    </div>
  );
}
