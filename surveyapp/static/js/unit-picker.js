// Ticking "All of <sygehus/afdeling>" ticks (or unticks) its afsnit at once. Without JavaScript the
// "Tick its afsnit" button does the same on the server.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[name=whole][data-afsnit]")) return;
  box.getAttribute("data-afsnit").split(" ").forEach(function (id) {
    var afsnit = document.getElementById("unit-" + id);
    if (afsnit) afsnit.checked = box.checked;
  });
});
