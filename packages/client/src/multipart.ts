/**
 * openapi-fetch sends JSON; the image endpoints take multipart/form-data. The generated request types
 * describe each form's fields (files as Blob), and this serializer turns such an object into FormData:
 * repeated fields for arrays, the File's own name as the part's file name, numbers and booleans as text,
 * objects as JSON (manifest, metadata, face_box).
 */
export function toFormData(fields: object): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v instanceof Blob) form.append(key, v, v instanceof File ? v.name : key);
      else if (typeof v === 'object') form.append(key, JSON.stringify(v));
      else form.append(key, String(v));
    }
  }
  return form;
}

/** Spread into an openapi-fetch call whose body is a multipart form. */
export const multipart = { bodySerializer: toFormData } as const;
