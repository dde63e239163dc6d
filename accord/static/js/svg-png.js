// "PNG" buttons of maps: fetch the map as a standalone SVG (data-png-from), draw it on a
// canvas at twice its size on white, and save the canvas as a PNG file (data-filename).
// In the browser, so that the server needs no SVG renderer; the page's CSP allows data: images.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-png-from]");
  if (!button) return;
  event.preventDefault();
  button.disabled = true;
  fetch(button.dataset.pngFrom, { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(response.statusText);
      return response.text();
    })
    .then((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const svg = doc.documentElement;
      const box = (svg.getAttribute("viewBox") || "0 0 1000 500").split(/[\s,]+/).map(Number);
      const scale = 2;
      const width = Math.round(box[2] * scale);
      const height = Math.round(box[3] * scale);
      svg.setAttribute("width", width);
      svg.setAttribute("height", height);
      const source = new XMLSerializer().serializeToString(svg);
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement("canvas");
        canvas.width = width;
        canvas.height = height;
        const context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, width, height);
        context.drawImage(image, 0, 0, width, height);
        canvas.toBlob((blob) => {
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = button.dataset.filename || "map.png";
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 1000);
          button.disabled = false;
        }, "image/png");
      };
      image.onerror = () => { button.disabled = false; };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
    })
    .catch(() => { button.disabled = false; });
});
