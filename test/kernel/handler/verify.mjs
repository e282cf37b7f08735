console.log("verify: todo")
