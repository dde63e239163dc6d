// The engagement network page (templates/analytics/network.html): the graph drawn with
// Cytoscape.js from the elements the server wrote into #network-elements.
document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("network-graph");
  const source = document.getElementById("network-elements");
  if (!container || !source || typeof cytoscape === "undefined") return;
  const data = JSON.parse(source.textContent);
  const top = Math.max(1, ...data.nodes.map((n) => n.strength));
  const heaviest = Math.max(1, ...data.edges.map((e) => e.weight));
  const cy = cytoscape({
    container,
    elements: [
      ...data.nodes.map((n) => ({ data: { ...n, size: 18 + 42 * n.strength / top } })),
      ...data.edges.map((e, i) => ({
        data: { id: "e" + i, ...e, width: 1 + 7 * e.weight / heaviest },
      })),
    ],
    style: [
      {
        selector: "node",
        style: {
          label: "data(id)", width: "data(size)", height: "data(size)",
          "background-color": "data(colour)", "font-size": 11, color: "#212529",
          "text-valign": "bottom", "text-margin-y": 3,
        },
      },
      { selector: "edge", style: { width: "data(width)", "line-color": "#adb5bd", "curve-style": "haystack" } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#212529" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 60000, idealEdgeLength: () => 90 },
    wheelSensitivity: 0.3,
  });
  const said = document.getElementById("network-selected");
  cy.on("tap", "node", (event) => {
    const node = event.target;
    const near = node.closedNeighborhood();
    cy.elements().addClass("faded");
    near.removeClass("faded");
    const links = node.connectedEdges().map((e) => {
      const other = e.source().id() === node.id() ? e.target().id() : e.source().id();
      return other + " (" + e.data("weight") + ")";
    });
    said.textContent = node.id() + " — " + node.data("name") + ": " + links.join(", ");
  });
  cy.on("tap", (event) => {
    if (event.target === cy) {
      cy.elements().removeClass("faded");
    }
  });
  cy.on("dbltap", "node", (event) => { window.location.href = event.target.data("url"); });
});
