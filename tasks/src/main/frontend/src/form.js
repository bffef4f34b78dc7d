// Renders a task template's form (a JSON Schema of type object) as HTML inputs, reads the values back
// and checks them against the schema before anything is sent. The service validates the result again
// with a full JSON Schema validator; this check is there so the reviewer sees problems next to the field.

/** Builds the inputs for `schema` inside `container`, filled from `values` (a draft) or the defaults. */
export function renderForm(container, schema, values = {}) {
  container.replaceChildren();
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const field = document.createElement('div');
    field.className = 'field';
    field.dataset.field = name;
    const title = document.createElement('div');
    title.className = 'field-title';
    title.textContent = (prop.title ?? name) + (required.has(name) ? ' *' : '');
    field.append(title);
    if (prop.description) {
      const help = document.createElement('div');
      help.className = 'field-help';
      help.textContent = prop.description;
      field.append(help);
    }
    const value = values[name] ?? prop.default;
    field.append(inputFor(name, prop, value));
    const error = document.createElement('div');
    error.className = 'field-error';
    error.id = `error-${name}`;
    field.append(error);
    container.append(field);
  }
}

function inputFor(name, prop, value) {
  const id = `field-${name}`;
  if (prop.type === 'boolean') {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.name = name;
    box.checked = value === true;
    return box;
  }
  if (prop.type === 'array') {
    const group = document.createElement('div');
    group.id = id;
    for (const option of prop.items?.enum ?? []) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = name;
      box.value = option;
      box.checked = Array.isArray(value) && value.includes(option);
      label.append(box, ` ${option}`);
      group.append(label);
    }
    return group;
  }
  if (Array.isArray(prop.enum)) {
    const select = document.createElement('select');
    select.id = id;
    select.name = name;
    select.append(new Option('', ''));
    for (const option of prop.enum) select.append(new Option(String(option), String(option)));
    select.value = value === undefined || value === null ? '' : String(value);
    return select;
  }
  if (prop.type === 'number' || prop.type === 'integer') {
    const input = document.createElement('input');
    input.type = 'number';
    input.id = id;
    input.name = name;
    if (prop.minimum !== undefined) input.min = prop.minimum;
    if (prop.maximum !== undefined) input.max = prop.maximum;
    input.step = prop.type === 'integer' ? '1' : 'any';
    if (value !== undefined && value !== null) input.value = value;
    return input;
  }
  const long = prop.maxLength === undefined || prop.maxLength > 100;
  const input = document.createElement(long ? 'textarea' : 'input');
  if (!long) input.type = 'text';
  input.id = id;
  input.name = name;
  if (value !== undefined && value !== null) input.value = value;
  return input;
}

/** Reads the form's values as the JSON the schema describes; empty inputs are left out. */
export function readForm(container, schema) {
  const result = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const el = container.querySelector(`#field-${CSS.escape(name)}`);
    if (!el) continue;
    if (prop.type === 'boolean') {
      result[name] = el.checked;
    } else if (prop.type === 'array') {
      result[name] = [...el.querySelectorAll('input:checked')].map((b) => b.value);
    } else {
      const raw = el.value;
      if (raw === '') continue;
      if (prop.type === 'number' || prop.type === 'integer') {
        result[name] = Number(raw);
      } else if (Array.isArray(prop.enum)) {
        // enum options are strings in the DOM; give back the schema's own value (it may be a number)
        result[name] = prop.enum.find((o) => String(o) === raw) ?? raw;
      } else {
        result[name] = raw;
      }
    }
  }
  return result;
}

/** Checks `value` against the subset of JSON Schema the form renders; returns {field: message}. */
export function validateForm(schema, value) {
  const errors = {};
  for (const name of schema.required ?? []) {
    const v = value[name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
      errors[name] = 'required';
    }
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const v = value[name];
    if (v === undefined || errors[name]) continue;
    const problem = checkValue(prop, v);
    if (problem) errors[name] = problem;
  }
  return errors;
}

function checkValue(prop, v) {
  switch (prop.type) {
    case 'integer':
      if (!Number.isInteger(v)) return 'must be a whole number';
      break;
    case 'number':
      if (typeof v !== 'number' || Number.isNaN(v)) return 'must be a number';
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return 'must be true or false';
      break;
    case 'array':
      if (!Array.isArray(v)) return 'must be a list';
      if (prop.minItems !== undefined && v.length < prop.minItems) return `choose at least ${prop.minItems}`;
      if (prop.maxItems !== undefined && v.length > prop.maxItems) return `choose at most ${prop.maxItems}`;
      return null;
    default:
      if (prop.type === 'string' && typeof v !== 'string') return 'must be text';
  }
  if (Array.isArray(prop.enum) && !prop.enum.includes(v)) return `must be one of ${prop.enum.join(', ')}`;
  if (typeof v === 'number') {
    if (prop.minimum !== undefined && v < prop.minimum) return `must be at least ${prop.minimum}`;
    if (prop.maximum !== undefined && v > prop.maximum) return `must be at most ${prop.maximum}`;
    if (prop.exclusiveMinimum !== undefined && v <= prop.exclusiveMinimum) return `must be more than ${prop.exclusiveMinimum}`;
    if (prop.exclusiveMaximum !== undefined && v >= prop.exclusiveMaximum) return `must be less than ${prop.exclusiveMaximum}`;
  }
  if (typeof v === 'string') {
    if (prop.minLength !== undefined && v.length < prop.minLength) return `must have at least ${prop.minLength} characters`;
    if (prop.maxLength !== undefined && v.length > prop.maxLength) return `must have at most ${prop.maxLength} characters`;
    if (prop.pattern !== undefined && !new RegExp(prop.pattern, 'u').test(v)) return `must match ${prop.pattern}`;
  }
  return null;
}

/** Shows `errors` ({field: message}) next to their fields and clears the others. */
export function showErrors(container, errors) {
  for (const el of container.querySelectorAll('.field-error')) {
    const name = el.id.slice('error-'.length);
    el.textContent = errors[name] ?? '';
  }
}
