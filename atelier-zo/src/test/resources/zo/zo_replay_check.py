# Independent re-implementation of the ZO replay contract (numpy Philox4x64-10, Python libm),
# used to cross-check ZoUpdateTest.replayMatchesTheCommittedDigest. Prints 0x73447cc3b1703eae.
# Run: python3 zo_replay_check.py (needs numpy >= 1.17 for np.random.Philox).
import numpy as np, math
M=2**64-1; D=0x41544C5A4F5A0001
def philox(k0,k1,c):
    v=sum(x<<(64*i) for i,x in enumerate(c)); v=(v-1)%(2**256)
    cc=[(v>>(64*i))&M for i in range(4)]
    return [int(x) for x in np.random.Philox(key=np.array([k0&M,k1],dtype=np.uint64),counter=np.array(cc,dtype=np.uint64)).random_raw(4)]
def zs(seed,t,n):
    out=[]
    for b in range((n+3)//4):
        w=philox(seed,D,[b,t,0,0]); u=[(x>>11)*2**-53 for x in w]
        for a,bb in ((0,1),(2,3)):
            r=math.sqrt(-2*math.log(1-u[a])); phi=2*math.pi*u[bb]; out+=[r*math.cos(phi), r*math.sin(phi)]
    return out[:n]
# parameters() sizes of TinyModels' Llama (vocab 48, hidden 16, 2 blocks, 4 heads on 2 KV heads, untied)
sizes=[768, 16, 256, 128, 128, 256, 16, 512, 512, 512, 16, 256, 128, 128, 256, 16, 512, 512, 512, 16, 768]
theta=[[np.float32((i*7919%201-100)/256) for i in range(n)] for n in sizes]
pairs=[(1000*i-3, (i%3-1)*0.37+0.01*i) for i in range(12)]
Z={}
def z(seed,t):
    if (seed,t) not in Z: Z[(seed,t)]=zs(seed,t,sizes[t])
    return Z[(seed,t)]
def add(seed,c):
    for t in range(len(sizes)):
        zz=z(seed,t); th=theta[t]
        for i in range(sizes[t]): th[i]=np.float32(float(th[i])+c*zz[i])
lr=1e-2; eps=1e-3
for s,g in pairs: add(s,-(lr*g))
for s,g in pairs[:4]:
    add(s,eps); add(s,-2*eps); add(s,eps); add(s,-(lr*g))
h=0xcbf29ce484222325
for th in theta:
    for v in th:
        b=int(np.array([v],dtype=np.float32).view(np.int32)[0])
        h=((h ^ (b & 0xffffffffffffffff if b>=0 else (b+2**64))) * 0x100000001b3) & M
print(hex(h))
