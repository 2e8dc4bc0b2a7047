# Iris as a whole process (the peer of SeedProgram iris): 4-16-3 MLP, cross-entropy, Adam(0.01),
# batches of 16, 100 epochs, 120/30 split; reads the CSV autograd-nn bundles.
import csv, os
import torch
import torch.nn as nn
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "../../../autograd-nn/src/main/resources/dev/autograd/nn/data/iris.csv")
classes = ["setosa", "versicolor", "virginica"]
with open(path) as f:
    rows = list(csv.reader(f))[1:]
x = torch.tensor([[float(v) for v in r[:4]] for r in rows])
y = torch.tensor([classes.index(r[4]) for r in rows])
gen = torch.Generator().manual_seed(0)
train, test = torch.utils.data.random_split(torch.utils.data.TensorDataset(x, y), [120, 30], generator=gen)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loader = torch.utils.data.DataLoader(train, batch_size=16, shuffle=True, generator=gen)
for epoch in range(100):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
with torch.no_grad():
    xb, yb = next(iter(torch.utils.data.DataLoader(test, batch_size=30)))
    correct = (model(xb).argmax(1) == yb).sum().item()
print(f"test accuracy {100.0 * correct / 30:.1f}%")
