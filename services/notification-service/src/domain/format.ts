// How amounts read in a notification.

/** Minor units in a currency's own decimals: 1250 USD -> "12.50 USD", 500 JPY -> "500 JPY". */
export function formatMoney(minorUnits: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An ISO code Intl does not know: two decimals, as most currencies have.
  }
  const major = (minorUnits / 10 ** digits).toFixed(digits);
  return `${major} ${currency}`;
}

export function formatAzr(amount: number): string {
  return `${amount} AZR`;
}
