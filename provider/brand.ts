/**
 * The brand check behind every error class's static `isInstance()`. A brand is a property set to
 * `true` on each instance; unlike `instanceof`, it still recognises an error made by another copy of
 * this package (two installs, or a module loaded once by path and once by name). Name the class as
 * `T` so the compiler checks that the brand is one of its properties.
 */
export function hasBrand<T>(value: unknown, brand: keyof T): boolean {
  return (
    typeof value === "object" && value !== null && (value as Record<PropertyKey, unknown>)[brand] === true
  );
}
