/**
 * Runs in the report page before uPlot loads. uPlot builds
 * `new Intl.NumberFormat(navigator.language)` as its script loads, and a
 * browser started under a POSIX locale (`LANG=C.UTF-8`, the default of many
 * CI images and containers) reports `en-US@posix`, which Intl rejects with a
 * RangeError: the uPlot global is then never defined and every chart stays
 * blank. A language Intl refuses is replaced, for this page only, by the same
 * tag without its `@modifier`, or by `en-US`. Embedded as source text
 * (`guardNavigatorLanguage.toString()`), so it must stand alone.
 */
export function guardNavigatorLanguage(): void {
  const accepts = (tag: string): boolean => {
    try {
      new Intl.NumberFormat(tag)
      return true
    } catch {
      return false
    }
  }
  const language = String(navigator.language)
  if (accepts(language)) return
  const withoutModifier = language.split('@')[0] ?? ''
  const usable = withoutModifier !== '' && accepts(withoutModifier) ? withoutModifier : 'en-US'
  Object.defineProperty(navigator, 'language', { value: usable, configurable: true })
}
