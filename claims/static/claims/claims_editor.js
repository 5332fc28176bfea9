/* The claims editor's drag and drop: a claim dragged by its handle and dropped on another claim
   goes before it; dropped on a block's heading or empty space, to the end of that block. The move
   is posted with the same form the buttons use, so the workflow decides it as any other move. */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("place-form");
  if (!form) {
    return;
  }
  var dragged = null;

  function cardOf(element) {
    return element.closest ? element.closest(".claim-card") : null;
  }

  document.querySelectorAll(".claim-card .drag-handle").forEach(function (handle) {
    handle.addEventListener("dragstart", function (event) {
      dragged = cardOf(handle);
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.claim);
      event.dataTransfer.setDragImage(dragged, 10, 10);
    });
    handle.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("dragging");
      }
      dragged = null;
    });
  });

  document.querySelectorAll(".answer-block").forEach(function (block) {
    block.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        block.classList.add("drop-target");
      }
    });
    block.addEventListener("dragleave", function () {
      block.classList.remove("drop-target");
    });
    block.addEventListener("drop", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      block.classList.remove("drop-target");
      var cards = Array.prototype.filter.call(
        block.querySelectorAll(".claim-card"),
        function (card) { return card !== dragged; }
      );
      var target = cardOf(event.target);
      var position = target && target !== dragged ? cards.indexOf(target) : cards.length;
      form.elements.claim.value = dragged.dataset.claim;
      form.elements.version.value = dragged.dataset.version;
      form.elements.block.value = block.dataset.block;
      form.elements.position.value = String(position < 0 ? cards.length : position);
      form.submit();
    });
  });
});
