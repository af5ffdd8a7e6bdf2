/**
 * Gives an error class its `name` on the prototype (non-enumerable, like `Error.prototype.name`),
 * so that it survives minification and is already in place when V8 captures the stack.
 */
export function setErrorName(cls: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}
