// A "Copy" button copies the text of the field its data-copy names, and says so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  const text = field.value !== undefined ? field.value : field.textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    field.select?.();
    document.execCommand?.("copy");
  }
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 2000);
});
