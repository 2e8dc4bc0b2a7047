# Seed 000, example 1 as a whole process (the peer of SeedProgram grad_x2_exp).
import torch
x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 * torch.exp(x)
y.backward()
print(x.grad)
